/** The part of an OpenAPI document the request checks and the structure checks read. */
export interface OpenApiDocument {
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<
    string,
    { $ref?: string; description?: string; content?: Record<string, { schema?: JsonSchema }> }
  >;
}

export type PathItem = { parameters?: Parameter[] } & Partial<Record<HttpMethod, Operation>>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What a request to one documented operation may carry. */
export interface DocumentedOperation {
  /** The query parameters it declares (its own and its path's). */
  queryNames: ReadonlySet<string>;
  /** The schema of its JSON body; undefined when it takes none. */
  jsonBody: JsonSchema | undefined;
}

/** An Express route path (`/v1/models/:id`) as an OpenAPI path template (`/v1/models/{id}`). */
export const templateOf = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

/** The document's operations by method and path template, e.g. `post /v1/alerts/{id}/ack`. */
export function documentedOperations(document: OpenApiDocument): Map<string, DocumentedOperation> {
  const operations = new Map<string, DocumentedOperation>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      operations.set(`${method} ${path}`, {
        queryNames: new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name)),
        jsonBody: operation.requestBody?.content['application/json']?.schema,
      });
    }
  }
  return operations;
}

/** The target of a local `$ref` (`#/components/schemas/Alert`), or undefined when it names nothing. */
export function resolvePointer(document: object, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
