/** An SDK error's EC2 code (`InvalidInstanceID.NotFound`, `UnauthorizedOperation`, ...). */
export function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string } | undefined;
  return e?.Code ?? e?.name ?? "Error";
}
