/**
 * The shape of a JSON text, read in one pass before it is parsed: how deep it nests, and how many
 * keys its heaviest envelope holds. A body that is far too deep or too wide is refused without
 * building its objects (100,000 keys cost the event loop about 0.3 s to parse and validate).
 */
export interface BodyShape {
  /** The deepest nesting of objects and arrays. */
  depth: number;
  /** The envelope with the most keys (at every depth): `index` is its place in a top-level array, null for a single envelope. */
  heaviest: { index: number | null; keys: number };
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

export function bodyShape(text: string): BodyShape {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  // A top-level array holds envelopes at depth 1; a top-level object is the one envelope.
  let rootIsArray: boolean | undefined;
  let index = 0;
  let keys = 0;
  const heaviest: BodyShape["heaviest"] = { index: null, keys: 0 };
  const settle = () => {
    if (keys > heaviest.keys) {
      heaviest.keys = keys;
      heaviest.index = rootIsArray ? index : null;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    // Outside strings a colon only ever separates a key from its value.
    else if (c === COLON) keys++;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === 0) rootIsArray = c === OPEN_ARRAY;
      deepest = Math.max(deepest, ++depth);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA && rootIsArray && depth === 1) {
      settle();
      index++;
      keys = 0;
    }
  }
  settle();
  return { depth: deepest, heaviest };
}
