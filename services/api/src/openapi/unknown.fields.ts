import { resolvePointer, type JsonSchema } from './openapi.operations';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typesOf = (schema: JsonSchema): unknown[] =>
  Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];

/** A $ref's target, followed to the end (memoised per schema: the document never changes). */
const targets = new WeakMap<JsonSchema, JsonSchema>();
function resolved(schema: JsonSchema, document: object): JsonSchema {
  if (typeof schema.$ref !== 'string') return schema;
  const known = targets.get(schema);
  if (known !== undefined) return known;
  const target = resolvePointer(document, schema.$ref);
  const result = isObject(target) ? resolved(target, document) : {};
  targets.set(schema, result);
  return result;
}

/** Whether a oneOf/anyOf branch is about a value of this JSON kind (an object or an array). */
function fits(schema: JsonSchema, value: unknown): boolean {
  const types = typesOf(schema);
  if (Array.isArray(value)) return types.includes('array') || (types.length === 0 && 'items' in schema);
  if (isObject(value)) return types.includes('object') || (types.length === 0 && 'properties' in schema);
  return false;
}

/** Whether a schema closes an object anywhere below it (memoised: the document never changes). */
const closing = new WeakMap<JsonSchema, boolean>();
function closes(schema: JsonSchema, document: object): boolean {
  const known = closing.get(schema);
  if (known !== undefined) return known;
  closing.set(schema, false); // a cycle closes nothing of its own
  const children: unknown[] = [
    ...((schema.allOf as unknown[]) ?? []),
    ...((schema.oneOf as unknown[]) ?? []),
    ...((schema.anyOf as unknown[]) ?? []),
    schema.items,
    schema.additionalProperties,
    ...Object.values(isObject(schema.properties) ? schema.properties : {}),
  ];
  const result =
    schema.additionalProperties === false ||
    (typeof schema.$ref === 'string' && closes(resolved(schema, document), document)) ||
    children.some((child) => isObject(child) && closes(child, document));
  closing.set(schema, result);
  return result;
}

const pointerPart = (key: string): string =>
  key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;

/**
 * The fields of `value` its schema does not know, as JSON pointers (`/window/sizee`, `/3/extra`):
 * properties of an object whose schema says `additionalProperties: false`, wherever they sit. Only
 * that is checked; every other rule is the route's own validation. Subtrees whose schema closes no
 * object are not walked (an event's features), so a batch of events costs a few µs an event.
 */
export function unknownFields(value: unknown, schema: JsonSchema, document: object): string[] {
  const found: string[] = [];
  collect(value, schema, document, '', found);
  return [...new Set(found)];
}

function collect(value: unknown, schema: JsonSchema, document: object, at: string, found: string[]): void {
  if (typeof value !== 'object' || value === null || !closes(schema, document)) return;
  if (typeof schema.$ref === 'string') return collect(value, resolved(schema, document), document, at, found);
  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? [])
    collect(value, part, document, at, found);
  const branches = [...((schema.oneOf as JsonSchema[]) ?? []), ...((schema.anyOf as JsonSchema[]) ?? [])];
  const branch = branches.find((b) => fits(resolved(b, document), value));
  if (branch !== undefined) collect(value, branch, document, at, found);
  if (Array.isArray(value)) {
    if (isObject(schema.items)) {
      const items = schema.items;
      for (let i = 0; i < value.length; i++) collect(value[i], items, document, `${at}/${i}`, found);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  const properties = isObject(schema.properties) ? schema.properties : {};
  const rest = schema.additionalProperties;
  for (const key in record) {
    const known = properties[key];
    if (isObject(known)) collect(record[key], known, document, `${at}/${pointerPart(key)}`, found);
    else if (isObject(rest)) collect(record[key], rest, document, `${at}/${pointerPart(key)}`, found);
    else if (rest === false) found.push(`${at}/${pointerPart(key)}`);
  }
}
