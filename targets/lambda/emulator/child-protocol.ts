/**
 * What `npm run emulator -- --json-lines` writes on stdout, one JSON object per line, for the harness
 * that runs it as a child process (emulator-child.ts): its log lines, then one `listening` event when
 * the API answers. Declared once; the writer (cli.ts) and the reader use these.
 */
import { z } from "zod";

export const childEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("log"), line: z.string() }).strict(),
  z.object({ event: z.literal("listening"), endpoint: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/), emulatorId: z.string(), mode: z.enum(["docker", "process"]) }).strict(),
]);
export type ChildEvent = z.infer<typeof childEventSchema>;

/** The stdout line of one event. */
export function childEventLine(event: ChildEvent): string {
  return JSON.stringify(event);
}

/** The event a stdout line carries; undefined for a line that is not one (printed by something else). */
export function parseChildEvent(line: string): ChildEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = childEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
