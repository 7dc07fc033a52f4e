import { HTTP_METHODS, type OpenApiDocument, type Operation } from './openapi.operations';

type Response = Operation['responses'][string];

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const EVERY_ROUTE =
  'unknown_parameter (a query parameter the route does not declare), unknown_field (a body field it does not declare)';
const JSON_BODY = 'malformed_json';

function extended(response: Response | undefined, codes: string): Response {
  if (response === undefined) return { description: codes, content: ERROR_CONTENT };
  return { ...response, description: `${response.description ?? ''}; ${codes}` };
}

function withErrors(operation: Operation): Operation {
  const takesJson = operation.requestBody?.content['application/json'] !== undefined;
  const responses = { ...operation.responses };
  responses['400'] = extended(responses['400'], takesJson ? `${EVERY_ROUTE}, ${JSON_BODY}` : EVERY_ROUTE);
  if (takesJson && responses['413'] === undefined) {
    responses['413'] = extended(undefined, 'payload_too_large: the body exceeds the configured limit');
  }
  return { ...operation, responses };
}

/**
 * The errors every route of the api answers besides its own, added to each operation of the
 * document: what RequestShapeInterceptor refuses (400 unknown_parameter, unknown_field) and, for a
 * JSON body, what the body parser refuses (400 malformed_json, 413 payload_too_large). /docs is
 * served beside the Nest routes, so neither applies there.
 */
export function withRequestErrors<T extends object>(document: T): T {
  const { paths } = document as unknown as OpenApiDocument;
  const extendedPaths = Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      if (path.startsWith('/docs')) return [path, item];
      const copy: Record<string, unknown> = { ...item };
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (operation !== undefined) copy[method] = withErrors(operation);
      }
      return [path, copy];
    }),
  );
  return { ...document, paths: extendedPaths };
}
