// Thin fetch wrapper for quanze's HTTP API (same origin, under /api/v1).
//
// - JSON in and out; cookies same-origin (the session cookie qz_session is
//   HttpOnly, so this code never sees it).
// - Every request that is not GET/HEAD carries `X-CSRF-Token` once a token
//   is known (from POST or GET /api/v1/session).
// - Every failure is thrown as a ProblemError: RFC 9457 problem+json from
//   the server as is, and a synthesised problem for network failures and
//   non-problem error responses, so callers handle one type.

export const API_BASE = '/api/v1';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  message_zh?: string;
  message_en?: string;
  [extra: string]: unknown;
}

export class ProblemError extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly messageZh: string;
  readonly messageEn: string;
  /** The whole problem object, extension members included. */
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.message_en || problem.detail || problem.title || problem.code);
    this.name = 'ProblemError';
    this.problem = problem;
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.messageZh = problem.message_zh || problem.detail || problem.title || problem.code;
    this.messageEn = problem.message_en || problem.detail || problem.title || problem.code;
  }

  /** The message in the UI language (message_zh or message_en). */
  localized(lang: 'zh' | 'en'): string {
    return lang === 'en' ? this.messageEn : this.messageZh;
  }
}

export function isProblem(e: unknown): e is ProblemError {
  return e instanceof ProblemError;
}

/** Any error as a sentence in the UI language. */
export function errorMessage(e: unknown, lang: 'zh' | 'en'): string {
  if (e instanceof ProblemError) return e.localized(lang);
  if (e instanceof Error) return e.message;
  return String(e);
}

// ---------------------------------------------------------------------------
// CSRF token (kept in memory only; the session endpoints hand it out again
// after a reload).

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

// ---------------------------------------------------------------------------

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: string;
  query?: Query;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is (a file upload), with `contentType`; instead of `body`. */
  rawBody?: Blob | string;
  contentType?: string;
  /** Expected response kind; default 'json'. */
  accept?: 'json' | 'text' | 'bytes';
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/') ? path : `${API_BASE}/${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function synthProblem(status: number, code: string, zh: string, en: string, detail?: string): ProblemError {
  return new ProblemError({
    type: 'about:blank',
    title: en,
    status,
    code,
    detail,
    message_zh: zh,
    message_en: en,
  });
}

async function toProblem(res: Response): Promise<ProblemError> {
  const ct = res.headers.get('content-type') ?? '';
  if (ct.includes('json')) {
    try {
      const j = (await res.json()) as Partial<ProblemDetails>;
      if (j && typeof j === 'object' && (j.code || j.title || j.message_zh)) {
        return new ProblemError({
          ...j,
          type: j.type ?? 'about:blank',
          title: j.title ?? res.statusText,
          status: typeof j.status === 'number' ? j.status : res.status,
          code: j.code ?? `http_${res.status}`,
        });
      }
    } catch {
      // fall through to the generic problem
    }
  }
  return synthProblem(
    res.status,
    `http_${res.status}`,
    `服务器返回错误（HTTP ${res.status}）`,
    `The server answered with an error (HTTP ${res.status})`,
  );
}

/**
 * One API call. `path` is relative to /api/v1 ("regions") or absolute
 * ("/healthz"). Resolves to the parsed body (undefined for 204).
 */
export async function request<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const accept = opts.accept ?? 'json';
  const headers: Record<string, string> = {
    Accept: accept === 'json' ? 'application/json, application/problem+json' : 'text/plain, application/problem+json',
    ...opts.headers,
  };
  let body: BodyInit | undefined;
  if (opts.rawBody !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'application/octet-stream';
    body = opts.rawBody;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw synthProblem(0, 'network', '无法连接服务器，请检查网络后重试', 'Cannot reach the server; check the network and retry', String(e));
  }
  if (!res.ok) throw await toProblem(res);
  if (res.status === 204) return undefined as T;
  if (accept === 'text') return (await res.text()) as T;
  if (accept === 'bytes') return new Uint8Array(await res.arrayBuffer()) as T;
  const text = await res.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw synthProblem(res.status, 'bad_json', '服务器返回的数据无法解析', 'The server sent data that cannot be read');
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
};
