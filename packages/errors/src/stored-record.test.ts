import { ConflictError, DealgraphError, NotFoundError, StoredRecordError, errorKind, isRetryable } from "./errors";
import { stored, storedRecordCodec } from "./stored-record";

const codec = storedRecordCodec("Widget", "widget_id", {
  widget_id: stored.text(),
  display_name: stored.textOr(""),
  version_number: stored.number(1),
  source_user_id: stored.optionalText(),
});

describe("storedRecordCodec", () => {
  it("reads snake_case properties as a camelCase record and writes them back under their stored names", () => {
    const record = codec.decode({ widget_id: "w1", display_name: "Blue", version_number: 3, source_user_id: null, unrelated: "kept out" });
    expect(record).toEqual({ widgetId: "w1", displayName: "Blue", versionNumber: 3, sourceUserId: null });
    expect(codec.encode(record)).toEqual({ widget_id: "w1", display_name: "Blue", version_number: 3, source_user_id: null });
  });

  it("fills what a node may lack with the schema's fallbacks", () => {
    expect(codec.decode({ widget_id: "w2" })).toEqual({ widgetId: "w2", displayName: "", versionNumber: 1, sourceUserId: null });
  });

  it("refuses a damaged node with a non-retryable error naming the label, the node and the property", () => {
    const error = (() => {
      try {
        return codec.decode({ widget_id: 7, display_name: "x" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(StoredRecordError);
    expect(isRetryable(error)).toBe(false);
    expect((error as StoredRecordError).issues.map((i) => i.path)).toEqual(["widget_id"]);
    expect((error as StoredRecordError).message).toMatch(/^stored Widget is unreadable: widget_id: /);
  });
});

describe("errorKind", () => {
  class ParcelLostError extends errorKind("PARCEL_LOST", true) {}

  it("gives each error class its code, retryability and name once", () => {
    const error = new ParcelLostError("the parcel is gone", { cause: new Error("socket") });
    expect(error).toBeInstanceOf(DealgraphError);
    expect(error).toMatchObject({ code: "PARCEL_LOST", retryable: true, name: "ParcelLostError", message: "the parcel is gone" });
    expect(error.cause).toBeInstanceOf(Error);
    expect([new NotFoundError("x"), new ConflictError("y")].map(isRetryable)).toEqual([false, true]);
  });
});
