import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A test stand-in server listening on 127.0.0.1 (a free port): its URL (with `basePath`) and how to close it, open connections too. */
export async function listenLocally(server: Server, basePath = ""): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request's whole body, as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += (chunk as Buffer).toString();
  return body;
}
