// The JSON API, by relative URL (the page is served at the API's root).

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

const BASE = new URL("./", document.baseURI);

export function apiUrl(path, params) {
  const url = new URL(path, BASE);
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    url.searchParams.set(key, String(value));
  }
  return url;
}

export async function getJSON(path, params, { signal } = {}) {
  const res = await fetch(apiUrl(path, params), {
    headers: { Accept: "application/json" },
    signal,
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = body && body.error;
    throw new ApiError(
      (err && err.message) || `${res.status} ${res.statusText}`,
      res.status,
      err && err.code,
    );
  }
  return body;
}
