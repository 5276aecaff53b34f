// A fetch stand-in for component tests: routes by method and path (query
// ignored unless the route's path has one), answers JSON or problem+json, and
// records every request.
import { vi } from 'vitest';

export interface Call {
  method: string;
  url: string;
  path: string;
  body: unknown;
}

type Handler = (call: Call) => { status?: number; body?: unknown } | undefined;

export function problem(status: number, code: string, zh: string, en: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    body: { type: `https://quanze.example/problems/${code}`, title: code, status, code, message_zh: zh, message_en: en, ...extra },
  };
}

export function mockApi(routes: Record<string, Handler | { status?: number; body?: unknown }>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.split('?')[0] ?? url;
    let body: unknown = init?.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // raw text body
      }
    }
    const call = { method, url, path, body };
    calls.push(call);
    const route = routes[`${method} ${url}`] ?? routes[`${method} ${path}`];
    const answer = typeof route === 'function' ? route(call) : route;
    if (!answer) {
      return new Response(JSON.stringify({ code: 'not_found', status: 404, title: 'Not Found', message_zh: `没有这个地址：${path}`, message_en: `no such resource: ${path}` }), {
        status: 404,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    }
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const ADMIN_SESSION = {
  'GET /api/v1/session': { body: { user: { id: 1, name: 'admin', role: 'admin', scope: 'all' }, csrf_token: 'tok' } },
};
