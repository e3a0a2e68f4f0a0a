export { DealRoomRepository, ITEMS_PER_ACCOUNT, type AccountSummary, type DealSummary, type ItemRow } from "./deal-room-repository";
export { dealTimeline, sourceOfField, sourceOfScore, stateAsOf, type DealState } from "./deal-timeline";
export { signalsAsOf, type SignalState } from "./signal-history";
export { Html, escapeHtml, html } from "./views/html";
export { accountPage, accountsPage, type AccountPageView } from "./views/account-pages";
export { dealPage, type DealPageView } from "./views/deal-page";
export { interactionPage, notFoundPage } from "./views/interaction-page";
export { loginPage } from "./views/login-page";
