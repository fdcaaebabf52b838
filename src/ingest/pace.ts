import { realSleep, type Sleep } from "../net/http.ts";

/**
 * A fetch that starts requests at least `intervalMs` apart, retries included: arXiv asks for one request
 * every 3 s and throttles (or blocks) clients that do not keep to it. Requests are serialized, so two
 * callers sharing one paced fetch cannot slip in together.
 */
export function pacedFetch(options: { intervalMs: number; fetch?: typeof fetch; now?: () => number; sleep?: Sleep }): typeof fetch {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  let lastStart: number | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const turn = async () => {
    if (lastStart !== undefined) {
      const wait = lastStart + options.intervalMs - now();
      if (wait > 0) await sleep(wait);
    }
    lastStart = now();
  };
  return (async (...args: Parameters<typeof fetch>) => {
    // The request starts inside its turn, so the next turn measures from a request that really started;
    // it is wrapped so that the queue waits for the start, not for the response.
    const started = queue.then(async () => {
      await turn();
      return { response: fetchFn(...args) };
    });
    queue = started.catch(() => undefined);
    return (await started).response;
  }) as typeof fetch;
}
