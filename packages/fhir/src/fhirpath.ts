/**
 * Turns an ajv instancePath (a JSON Pointer such as `/entry/1/resource/x`) into FHIRPath segments
 * appended to `base`: `Bundle.entry[1].resource.x`.
 */
export const pointerToFhirPath = (base: string, pointer: string): string => {
  if (pointer === '') return base;
  let path = base;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  }
  return path;
};

/** The FHIRPath that selects the extensions of `element` with this url. */
export const extensionPath = (element: string, url: string): string => `${element}.extension('${url}')`;

/**
 * The path of an element inside a resource for messages: `Bundle.entry[1].resource.lotNumber` with
 * resource type Immunization → `Immunization.lotNumber`.
 */
export const elementName = (expression: string, resourcePath: string, resourceType: string): string =>
  expression.startsWith(resourcePath) ? resourceType + expression.slice(resourcePath.length) : expression;
