import { Client } from 'pg';

/** A LISTEN on a connection of its own; reconnects after a failure until closed. */
export interface ChannelListener {
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

/**
 * Calls `onNotify` for each notification on `channel` (Postgres delivers them when the notifying
 * transaction commits). While the connection is down nothing is heard: callers poll as well.
 */
export function listenOn(url: string, channel: string, onNotify: () => void): ChannelListener {
  let client: Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), RECONNECT_MS);
    timer.unref();
  };
  const connect = async () => {
    if (closed) return;
    const next = new Client({ connectionString: url, application_name: 'driftline-listen' });
    client = next;
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    next.on('error', () => {
      void next.end().catch(() => undefined);
      retry();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
      // what was notified while the connection was down is picked up by the caller's next poll
      onNotify();
    } catch {
      await next.end().catch(() => undefined);
      retry();
    }
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
