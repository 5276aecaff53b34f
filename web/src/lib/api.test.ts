import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildUrl, errorMessage, ProblemError, request, setCsrfToken } from './api';

type Call = { url: string; init: RequestInit };

function mockFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const call = { url, init };
      calls.push(call);
      return respond(call);
    }),
  );
  return calls;
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api client', () => {
  it('builds URLs under /api/v1 and drops empty query values', () => {
    expect(buildUrl('regions', { parent: '3301', cursor: null, limit: 20, x: '' })).toBe('/api/v1/regions?parent=3301&limit=20');
    expect(buildUrl('/healthz')).toBe('/healthz');
  });

  it('sends JSON with same-origin credentials and no CSRF header on GET', async () => {
    setCsrfToken('tok');
    const calls = mockFetch(() => json(200, { items: [], next_cursor: null }));
    await expect(request('regions')).resolves.toEqual({ items: [], next_cursor: null });
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect((calls[0]!.init.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
  });

  it('attaches X-CSRF-Token to state-changing requests', async () => {
    setCsrfToken('tok-123');
    const calls = mockFetch(() => new Response(null, { status: 204 }));
    await request('session', { method: 'DELETE' });
    await request('things', { method: 'POST', body: { a: 1 } });
    for (const c of calls) expect((c.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-123');
    expect(calls[1]!.init.body).toBe('{"a":1}');
    expect((calls[1]!.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('throws a ProblemError from application/problem+json', async () => {
    mockFetch(() =>
      json(
        403,
        {
          type: 'https://quanze.example/problems/forbidden',
          title: 'Forbidden',
          status: 403,
          code: 'out_of_scope',
          detail: 'region 3301 is outside your scope',
          message_zh: '该区划不在您的管辖范围内',
          message_en: 'This region is outside your scope',
          region: '3301',
        },
        'application/problem+json',
      ),
    );
    const e = await request('regions').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProblemError);
    const p = e as ProblemError;
    expect([p.status, p.code]).toEqual([403, 'out_of_scope']);
    expect(p.localized('zh')).toBe('该区划不在您的管辖范围内');
    expect(errorMessage(p, 'en')).toBe('This region is outside your scope');
    expect(p.problem.region).toBe('3301');
  });

  it('turns a non-problem error and a network failure into ProblemErrors', async () => {
    mockFetch(() => new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const e1 = (await request('regions').catch((x: unknown) => x)) as ProblemError;
    expect([e1.status, e1.code]).toEqual([502, 'http_502']);
    expect(e1.localized('zh')).toContain('502');

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const e2 = (await request('regions').catch((x: unknown) => x)) as ProblemError;
    expect([e2.status, e2.code]).toEqual([0, 'network']);
    expect(e2.localized('zh')).toContain('无法连接服务器');
  });

  it('reads text and bytes bodies', async () => {
    mockFetch(() => new Response('quanze.demo/ledger\n3\n', { status: 200, headers: { 'Content-Type': 'text/plain' } }));
    await expect(request('ledger/checkpoint', { accept: 'text' })).resolves.toBe('quanze.demo/ledger\n3\n');
    const bytes = await request<Uint8Array>('ledger/checkpoint', { accept: 'bytes' });
    expect(new TextDecoder().decode(bytes)).toBe('quanze.demo/ledger\n3\n');
  });
});
