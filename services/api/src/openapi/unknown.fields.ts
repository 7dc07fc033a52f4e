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
 * What the walk needs of a schema, worked out once per schema object (the document never
 * changes). Parts that close no object below them are left out: there is nothing to find there.
 */
interface Plan {
  /** Set for a `$ref`: the walk goes to its target (null: one closing nothing) and reads nothing else. */
  ref?: Plan | null;
  allOf: Plan[];
  /** oneOf and anyOf branches in order: the first that fits the value is walked (plan null: nothing in it). */
  branches: { schema: JsonSchema; plan: Plan | null }[];
  items: Plan | null;
  /** Declared properties; null for one closing nothing (walked no further, not an unknown field). */
  properties: Map<string, Plan | null>;
  /** additionalProperties: a plan to walk, false (a finding), or null (nothing to find). */
  rest: Plan | false | null;
}

const plans = new WeakMap<JsonSchema, Plan | null>();

/** The plan of a schema, or null when it closes no object below it. */
function planOf(schema: unknown, document: object): Plan | null {
  if (!isObject(schema) || !closes(schema, document)) return null;
  const known = plans.get(schema);
  if (known !== undefined) return known;
  const plan: Plan = { allOf: [], branches: [], items: null, properties: new Map(), rest: null };
  plans.set(schema, plan); // before its parts, so a cycle finds it
  if (typeof schema.$ref === 'string') {
    plan.ref = planOf(resolved(schema, document), document);
    return plan;
  }
  for (const part of (schema.allOf as unknown[] | undefined) ?? []) {
    const partPlan = planOf(part, document);
    if (partPlan !== null) plan.allOf.push(partPlan);
  }
  const branches = [...((schema.oneOf as JsonSchema[]) ?? []), ...((schema.anyOf as JsonSchema[]) ?? [])];
  plan.branches = branches.map((b) => ({ schema: resolved(b, document), plan: planOf(b, document) }));
  plan.items = planOf(schema.items, document);
  for (const [key, property] of Object.entries(isObject(schema.properties) ? schema.properties : {}))
    if (isObject(property)) plan.properties.set(key, planOf(property, document));
  const rest = schema.additionalProperties;
  plan.rest = rest === false ? false : planOf(rest, document);
  return plan;
}

/** Where the walk is; rendered as a JSON pointer only for a finding. */
type Path = { up: Path; part: string | number } | null;

function pointer(path: Path): string {
  const parts: string[] = [];
  for (let p = path; p !== null; p = p.up)
    parts.push(typeof p.part === 'number' ? String(p.part) : pointerPart(p.part));
  return parts.length === 0 ? '' : `/${parts.reverse().join('/')}`;
}

/**
 * The fields of `value` its schema does not know, as JSON pointers (`/window/sizee`, `/3/extra`):
 * properties of an object whose schema says `additionalProperties: false`, wherever they sit. Only
 * that is checked; every other rule is the route's own validation. Subtrees whose schema closes no
 * object are not walked (an event's features), and the schema is read once, so a batch of events
 * costs about a key lookup per field.
 */
export function unknownFields(value: unknown, schema: JsonSchema, document: object): string[] {
  const found: string[] = [];
  const plan = planOf(schema, document);
  if (plan !== null) collect(value, plan, null, found);
  return [...new Set(found)];
}

function collect(value: unknown, plan: Plan, at: Path, found: string[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (plan.ref !== undefined) {
    if (plan.ref !== null) collect(value, plan.ref, at, found);
    return;
  }
  for (const part of plan.allOf) collect(value, part, at, found);
  const branch = plan.branches.find((b) => fits(b.schema, value));
  if (branch?.plan) collect(value, branch.plan, at, found);
  if (Array.isArray(value)) {
    const { items } = plan;
    if (items !== null)
      for (let i = 0; i < value.length; i++) collect(value[i], items, { up: at, part: i }, found);
    return;
  }
  const record = value as Record<string, unknown>;
  const { properties, rest } = plan;
  for (const key in record) {
    const known = properties.get(key);
    if (known !== undefined) {
      if (known !== null) collect(record[key], known, { up: at, part: key }, found);
    } else if (rest === false) found.push(pointer({ up: at, part: key }));
    else if (rest !== null) collect(record[key], rest, { up: at, part: key }, found);
  }
}
