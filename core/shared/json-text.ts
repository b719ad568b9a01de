/**
 * The value of the JSON `text`, or the error `refuse` makes of the parser's reason when it is not
 * JSON. The reason can quote the text, so a caller whose text holds secrets leaves it out.
 */
export function parseJsonOr(text: string, refuse: (reason: string) => Error): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw refuse(error instanceof Error ? error.message : String(error));
  }
}
