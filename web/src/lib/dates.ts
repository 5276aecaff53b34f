export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in the browser's time zone, YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
