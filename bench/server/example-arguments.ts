/**
 * Example arguments built from a tool's input JSON Schema, for `discover`'s starter scenario: the
 * required fields filled with the simplest value the schema accepts (its default, const, first enum
 * value or example, else a value of its type inside its bounds). Optional fields are left out, so the
 * call exercises the tool the way its schema says is enough. Pure; bounded depth.
 */

/** Nested objects deeper than this get `{}` (a schema may be recursive through $ref). */
const MAX_DEPTH = 8;

type Schema = Readonly<Record<string, unknown>>;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function exampleNumber(schema: Schema, integer: boolean): number {
  const exclusiveMinimum = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  const minimum = numberOr(schema.minimum, exclusiveMinimum ?? Number.NaN);
  let value = Number.isNaN(minimum) ? 1 : minimum;
  const maximum = numberOr(schema.maximum, Number.POSITIVE_INFINITY);
  if (value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

function exampleString(schema: Schema): string {
  switch (schema.format) {
    case "uri":
    case "url":
      return "https://example.com/";
    case "email":
      return "user@example.com";
    case "date-time":
      return "2026-01-01T00:00:00Z";
    case "date":
      return "2026-01-01";
    case "uuid":
      return "00000000-0000-4000-8000-000000000000";
  }
  const minLength = numberOr(schema.minLength, 0);
  const maxLength = numberOr(schema.maxLength, Number.POSITIVE_INFINITY);
  const text = "example".padEnd(minLength, "x");
  return text.slice(0, Math.max(0, Math.min(text.length, maxLength)));
}

function firstType(schema: Schema): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type): type is string => typeof type === "string" && type !== "null") ?? "null";
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

/** The simplest value `schema` accepts, as far as the bench can tell. */
export function exampleValue(schema: unknown, depth = 0): unknown {
  if (!isSchema(schema)) return "example";
  if ("default" in schema) return schema.default;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return exampleValue(options.find((option) => !(isSchema(option) && option.type === "null")) ?? options[0], depth + 1);
  }
  switch (firstType(schema)) {
    case "string":
      return exampleString(schema);
    case "integer":
      return exampleNumber(schema, true);
    case "number":
      return exampleNumber(schema, false);
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      const count = Math.min(numberOr(schema.minItems, 0), 16);
      return Array.from({ length: count }, () => exampleValue(schema.items, depth + 1));
    }
    case "object":
      return depth >= MAX_DEPTH ? {} : exampleObject(schema, depth);
    default:
      return "example";
  }
}

function exampleObject(schema: Schema, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : [];
  const result: Record<string, unknown> = {};
  for (const name of required) result[name] = exampleValue(properties[name], depth + 1);
  return result;
}

/** Arguments for a tool: its input schema's required fields filled. */
export function exampleArguments(inputSchema: unknown): Record<string, unknown> {
  return isSchema(inputSchema) ? exampleObject(inputSchema, 0) : {};
}
