export { PROJECTION_KINDS, type GraphName, type ProjectionKind } from "./projection-kinds";
export { diffSortedIds, type IdDiff } from "./sorted-id-diff";
export { ID_PAGE_SIZE, graphIds, graphTenants, postgresIds } from "./id-pages";
export { compareTenant, type KindComparison, type TenantComparison } from "./tenant-comparison";
