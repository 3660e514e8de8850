/** The server refused an upload (or answered something else than the API): said in one line. */
export class ImportRefused extends Error {
  override readonly name = 'ImportRefused';
}

/**
 * The `data` of an Interchange answer read by a command-line upload, or the server's refusal as
 * an ImportRefused naming `what` was refused (status, error code and message).
 */
export async function dataOf(response: Response, what: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  let body: { data?: Record<string, unknown>; error?: { code?: string; message?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ImportRefused(
      `The server answered ${response.status} without JSON: ${text.slice(0, 200)}`,
    );
  }
  if (!response.ok || !body.data) {
    throw new ImportRefused(
      `The server refused ${what} (${response.status} ${body.error?.code ?? ''}): ${body.error?.message ?? text.slice(0, 200)}`,
    );
  }
  return body.data;
}
