/**
 * Whether the server can be reached, as far as the app knows: the browser's online state
 * plus what the last request said (a fetch that fails outright means the network is gone,
 * any answer means it is back).
 */
let reachable = typeof navigator === 'undefined' ? true : navigator.onLine;
const listeners = new Set<() => void>();

function set(next: boolean) {
  if (reachable !== next) {
    reachable = next;
    for (const listener of listeners) listener();
  }
}

export const reportNetworkFailure = () => {
  set(false);
};
export const reportNetworkSuccess = () => {
  set(true);
};
export const isNetworkReachable = () => reachable;

export function subscribeNetwork(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', reportNetworkFailure);
  window.addEventListener('online', reportNetworkSuccess);
}
