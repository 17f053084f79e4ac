// The REST API with the signed-in workspace key. The key lives in sessionStorage only: it is gone
// when the tab closes and never reaches localStorage or a cookie.
const KEY = 'segments.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? `HTTP_${status}`;
    this.details = body?.error?.details;
  }
}

async function request(method, path, body, explicitKey) {
  const key = explicitKey ?? session.key();
  const res = await fetch(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // The signed-in key stopped working (revoked): back to the sign-in page.
  if (res.status === 401 && !explicitKey && key) window.dispatchEvent(new Event('segments:unauthorized'));
  return res;
}

/** JSON from /api/v1…; a non-2xx answer throws ApiError with the API's code and message. */
export async function api(method, path, body, key) {
  const res = await request(method, `/api/v1${path}`, body, key);
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** Like api(), but a 404 of a route that is not there (yet) gives null instead of throwing. */
export async function optionalApi(path) {
  try {
    return await api('GET', path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** An image the API renders (it needs the key, so an <img src> cannot fetch it): a blob: URL. */
export async function imageUrl(path) {
  const res = await request('GET', `/api/v1${path}`);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

/** Direct Line (the built-in service): a token for a conversation as `userId`. */
export async function directLineToken(userId, name) {
  const res = await request('POST', '/v3/directline/tokens/generate', { user: { id: userId, name } });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}
