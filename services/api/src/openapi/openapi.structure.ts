import {
  HTTP_METHODS,
  resolvePointer,
  type OpenApiDocument,
  type Operation,
  type Parameter,
} from './openapi.operations';

const PATH_ITEM_KEYS = new Set<string>([...HTTP_METHODS, 'parameters', 'summary', 'description']);
const PARAMETER_PLACES = new Set(['query', 'path', 'header', 'cookie']);
const STATUS = /^([1-5]\d\d|[1-5]XX|default)$/;
const ERROR_REF = '#/components/schemas/Error';

function refsIn(node: unknown, at: string, found: { at: string; ref: unknown }[]): typeof found {
  if (Array.isArray(node)) node.forEach((child, i) => refsIn(child, `${at}/${i}`, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref') found.push({ at, ref: child });
      else refsIn(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found);
    }
  }
  return found;
}

function parameterProblems(where: string, parameters: unknown): string[] {
  if (parameters === undefined) return [];
  if (!Array.isArray(parameters)) return [`${where}: parameters is not an array`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of parameters as Parameter[]) {
    if (typeof p.name !== 'string' || !PARAMETER_PLACES.has(p.in)) {
      problems.push(`${where}: a parameter needs a name and an "in" of query, path, header or cookie`);
      continue;
    }
    if (seen.has(`${p.in} ${p.name}`))
      problems.push(`${where}: ${p.in} parameter ${p.name} is declared twice`);
    seen.add(`${p.in} ${p.name}`);
    if (typeof p.schema !== 'object') problems.push(`${where}: parameter ${p.name} has no schema`);
    if (p.in === 'path' && p.required !== true)
      problems.push(`${where}: path parameter ${p.name} must be required`);
  }
  return problems;
}

function operationProblems(
  document: object,
  where: string,
  operation: Operation,
  templateNames: string[],
  pathParameters: Parameter[],
): string[] {
  const problems = parameterProblems(where, operation.parameters);
  const declared = [...pathParameters, ...(operation.parameters ?? [])].filter((p) => p.in === 'path');
  for (const name of templateNames) {
    if (!declared.some((p) => p.name === name))
      problems.push(`${where}: path parameter ${name} is not declared`);
  }
  for (const p of declared) {
    if (!templateNames.includes(p.name))
      problems.push(`${where}: path parameter ${p.name} is not in the path`);
  }
  const responses = Object.entries(operation.responses ?? {});
  if (responses.length === 0) problems.push(`${where}: no responses`);
  for (const [status, given] of responses) {
    // a Response Object or a Reference Object to one under components/responses
    const target = typeof given.$ref === 'string' ? resolvePointer(document, given.$ref) : given;
    if (target === undefined) continue; // reported with every $ref that does not resolve
    const response = target as Operation['responses'][string];
    if (!STATUS.test(status)) problems.push(`${where}: response ${status} is not a status code`);
    if (typeof response.description !== 'string') problems.push(`${where} ${status}: no description`);
    const errorSchema = response.content?.['application/json']?.schema;
    if (/^[45]/.test(status) && errorSchema?.$ref !== ERROR_REF) {
      problems.push(`${where} ${status}: an error answers in the error shape (${ERROR_REF})`);
    }
  }
  const body = operation.requestBody;
  if (body !== undefined && (typeof body.content !== 'object' || Object.keys(body.content).length === 0)) {
    problems.push(`${where}: requestBody has no content`);
  }
  return problems;
}

/**
 * What keeps a document from being well-formed OpenAPI 3 as far as Driftline uses it: the version
 * and info, path templates and their declared parameters, responses keyed by status with a
 * description, errors in the error shape, and every `$ref` resolving. Empty when there is nothing.
 */
export function openApiProblems(document: OpenApiDocument & Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof document.openapi !== 'string' || !/^3\.[01]\.\d+$/.test(document.openapi)) {
    problems.push('openapi must be a 3.0.x or 3.1.x version');
  }
  const info = document.info as Record<string, unknown> | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string')
    problems.push('info needs a title and a version');
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`${path}: a path starts with /`);
    for (const key of Object.keys(item)) {
      if (!PATH_ITEM_KEYS.has(key)) problems.push(`${path}: "${key}" is not a path item field`);
    }
    problems.push(...parameterProblems(path, item.parameters));
    const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation !== undefined) {
        problems.push(
          ...operationProblems(
            document,
            `${method} ${path}`,
            operation,
            templateNames,
            item.parameters ?? [],
          ),
        );
      }
    }
  }
  for (const { at, ref } of refsIn(document, '#', [])) {
    if (typeof ref !== 'string' || resolvePointer(document, ref) === undefined) {
      problems.push(`${at}: $ref ${String(ref)} does not resolve`);
    }
  }
  return problems;
}
