export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in the browser's time zone, YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Today in Asia/Shanghai (UTC+8, no daylight saving), YYYY-MM-DD: the server
 * dates steps and judges backdating by this day, whatever the browser's zone.
 */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
