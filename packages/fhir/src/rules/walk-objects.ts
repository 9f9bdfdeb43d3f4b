import { isObject, type JsonObject } from '../json.ts';

/** The steps from a resource to one of its elements: element names and array indices. */
export type Trail = readonly (string | number)[];

/**
 * Calls `visit` for `value`, when it is an object, and for every object inside it, depth first,
 * with the trail that leads to it and its names (`Object.keys`, listed once for the visit and the
 * walk). The rules that look at every element of every document on the ingest path use it: a trail
 * costs nothing until a rule turns it into a path (`trailPath`, `trailElement`), which it does only
 * for the elements it reports or looks up.
 */
export const walkObjects = (
  value: unknown,
  visit: (object: JsonObject, trail: Trail, names: readonly string[]) => void,
): void => {
  const trail: (string | number)[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) step(i, node[i]);
    } else if (isObject(node)) {
      const names = Object.keys(node);
      visit(node, trail, names);
      for (const name of names) step(name, node[name]);
    }
  };
  const step = (key: string | number, child: unknown): void => {
    if (typeof child !== 'object' || child === null) return;
    trail.push(key);
    walk(child);
    trail.pop();
  };
  walk(value);
};

/** The FHIRPath of the element a trail leads to from `base`: `Bundle.entry[1].resource.performer[0].actor`. */
export const trailPath = (base: string, trail: Trail): string =>
  base + trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');

/** The element's name without indices, as profiles name it: `performer.actor`. */
export const trailElement = (trail: Trail): string =>
  trail.filter((step): step is string => typeof step === 'string').join('.');
