// A small fetch wrapper for the kefu API: JSON in and out, the session cookie,
// the CSRF header on every state-changing call, and typed errors.

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  status: number;
  code: string;
  field?: string;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string) {
  csrfToken = token;
}

/** Registers what to do when any call (other than login) answers 401 unauthorized. */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not treat 401 as "session expired" (used by login). */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal;
  /** Send a string body as is with this Content-Type (e.g. text/csv) instead of as JSON. */
  contentType?: string;
}

function headersFor(method: string, json: boolean, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  else if (json) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const form = opts.body instanceof FormData;
  const raw = !!opts.contentType && typeof opts.body === 'string';
  try {
    return await fetch(API_BASE + withQuery(path, opts.query), {
      method,
      headers: headersFor(method, opts.body !== undefined && !form, raw ? opts.contentType : undefined),
      credentials: 'same-origin',
      body: form ? (opts.body as FormData) : raw ? (opts.body as string) : opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', '');
  }
}

/** Turns a response's status and text into its JSON value, or throws the ApiError it carries. */
function settle<T>(status: number, text: string, skipAuthRedirect?: boolean): T {
  if (status === 204) return undefined as T;
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (status < 200 || status > 299) {
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    const apiErr = new ApiError(status, err?.code || statusCode(status), err?.message || '', err?.field || undefined);
    if (status === 401 && apiErr.code === 'unauthorized' && !skipAuthRedirect && onUnauthorized) {
      onUnauthorized();
    }
    throw apiErr;
  }
  return data as T;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  return settle<T>(res.status, res.status === 204 ? '' : await res.text(), opts.skipAuthRedirect);
}

export interface UploadOptions {
  /** Called as the file goes up, with the share sent so far (0–100). */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

/** POSTs multipart form data with XMLHttpRequest, the one browser API that reports upload progress. */
function upload<T>(path: string, form: FormData, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API_BASE + path);
    for (const [k, v] of Object.entries(headersFor('POST', false))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(Math.min(100, (e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      try {
        resolve(settle<T>(xhr.status, xhr.responseText));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** GETs a file: the body as a Blob and the name from Content-Disposition (or fallback). */
async function download(path: string, query: Query | undefined, fallback: string): Promise<{ blob: Blob; filename: string }> {
  const res = await send('GET', path, { query });
  if (!res.ok) settle(res.status, await res.text());
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) ?? /filename="?([^";]+)"?/i.exec(cd);
  let filename = fallback;
  if (m) {
    try {
      filename = decodeURIComponent(m[1]);
    } catch {
      filename = m[1];
    }
  }
  return { blob: await res.blob(), filename };
}

function statusCode(status: number): string {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 429:
      return 'too_many_requests';
    default:
      return 'internal';
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
  /** POSTs a text body (CSV and the like) with its Content-Type. */
  postText: <T>(path: string, text: string, contentType: string) => request<T>('POST', path, { body: text, contentType }),
  /** POSTs multipart form data (file uploads); the browser sets the boundary. opts.onProgress follows the upload. */
  upload: <T>(path: string, form: FormData, opts?: UploadOptions) => upload<T>(path, form, opts),
  /** GETs a file to save (exports); errors are ApiErrors like any other call's. */
  download: (path: string, query: Query | undefined, fallbackName: string) => download(path, query, fallbackName),
};
