import { resolvePointer, type JsonSchema } from './openapi.operations';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typesOf = (schema: JsonSchema): unknown[] =>
  Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];

function resolved(schema: JsonSchema, document: object): JsonSchema {
  if (typeof schema.$ref !== 'string') return schema;
  const target = resolvePointer(document, schema.$ref);
  return isObject(target) ? resolved(target, document) : {};
}

/** Whether a oneOf/anyOf branch is about a value of this JSON kind (an object or an array). */
function fits(schema: JsonSchema, value: unknown): boolean {
  const types = typesOf(schema);
  if (Array.isArray(value)) return types.includes('array') || (types.length === 0 && 'items' in schema);
  if (isObject(value)) return types.includes('object') || (types.length === 0 && 'properties' in schema);
  return false;
}

/**
 * The fields of `value` its schema does not know, as JSON pointers (`/window/sizee`, `/3/extra`):
 * properties of an object whose schema says `additionalProperties: false`, wherever they sit. Only
 * that is checked; every other rule is the route's own validation.
 */
export function unknownFields(value: unknown, schema: JsonSchema, document: object, at = ''): string[] {
  if (typeof schema.$ref === 'string') return unknownFields(value, resolved(schema, document), document, at);
  const found: string[] = [];
  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? []) {
    found.push(...unknownFields(value, part, document, at));
  }
  const branches = [...((schema.oneOf as JsonSchema[]) ?? []), ...((schema.anyOf as JsonSchema[]) ?? [])];
  const branch = branches.find((b) => fits(resolved(b, document), value));
  if (branch !== undefined) found.push(...unknownFields(value, branch, document, at));
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items;
    value.forEach((item, i) => found.push(...unknownFields(item, items, document, `${at}/${i}`)));
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [key, child] of Object.entries(value)) {
      const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const known = properties[key];
      if (isObject(known)) found.push(...unknownFields(child, known, document, path));
      else if (isObject(schema.additionalProperties))
        found.push(...unknownFields(child, schema.additionalProperties, document, path));
      else if (schema.additionalProperties === false) found.push(path);
    }
  }
  return [...new Set(found)];
}
