import type { JsonObject } from '../json.ts';
import type { Problems } from '../problems.ts';
import type { Terminology } from '../terminology/terminology.ts';

/** What every rule needs: where to report, the loaded code systems and the hub's clock. */
export interface RuleContext {
  readonly problems: Problems;
  readonly terminology: Terminology;
  readonly nowMs: number;
}

/** One Bundle entry whose resource is an object. */
export interface Entry {
  readonly index: number;
  /** FHIRPath of the resource: `Bundle.entry[1].resource`. */
  readonly path: string;
  readonly fullUrl: string | undefined;
  readonly resourceType: string;
  readonly resource: JsonObject;
}

/** An element of a resource: its FHIRPath for `expression` and a readable name for messages. */
export interface Site {
  readonly path: string;
  readonly label: string;
}

/** The element at `relative` (e.g. `.vaccineCode.coding[0]`) inside an entry's resource. */
export const siteOf = (entry: Entry, relative: string): Site => ({
  path: entry.path + relative,
  label: entry.resourceType + relative,
});

/** A child element of a site. */
export const child = (site: Site, relative: string): Site => ({
  path: site.path + relative,
  label: site.label + relative,
});
