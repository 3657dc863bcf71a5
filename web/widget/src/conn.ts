// The widget's WebSocket (docs/realtime.md, widget section): hello/resume on
// every (re)connect, ping every 25 s, reconnect with exponential backoff and
// jitter (0.5 s doubling up to 10 s) until stopped.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = { type: string; [k: string]: any };

export interface ConnHooks {
  /** The URL to (re)connect to. */
  url(): string;
  /** The highest seq seen so far, sent in hello. */
  since(): number;
  /** Every frame received on the current socket, ready included. */
  frame(f: Frame): void;
  /** The socket became usable (ready received), or was lost or failed to connect. */
  state(up: boolean): void;
}

const PING_MS = 25_000;
const DEAD_MS = 60_000; // no frame (not even pong) for this long: the socket is dead

export class Conn {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRecv = 0;
  private started = false;
  /** True between ready and the socket's loss; frames may be sent only then. */
  up = false;
  /** Increments on every ready, so callers can tell connections apart. */
  gen = 0;

  constructor(private hooks: ConnHooks) {}

  /** Connects unless already connected or connecting. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.open();
    setInterval(() => this.tick(), PING_MS);
  }

  /** Reconnects now if a backoff timer is waiting (e.g. the network came back). */
  kick(): void {
    if (this.started && !this.ws) {
      clearTimeout(this.timer);
      this.open();
    }
  }

  /** Drops the socket as if the network failed; the usual reconnect follows. */
  drop(): void {
    if (this.ws) this.lost();
  }

  /** Sends f if the socket is up (after ready); returns whether it was sent. */
  send(f: Frame): boolean {
    const ws = this.ws;
    if (!ws || !this.up || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(f));
    return true;
  }

  private open(): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.hooks.url());
    } catch {
      this.ws = null;
      this.retry();
      return;
    }
    this.ws = ws;
    // A socket that is not ready within 15 s (a hanging connect) counts as lost.
    this.timer = setTimeout(() => {
      if (this.ws === ws && !this.up) this.lost();
    }, 15_000);
    ws.onopen = () => {
      this.lastRecv = Date.now();
      ws.send(JSON.stringify({ type: 'hello', since: this.hooks.since() }));
    };
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      this.lastRecv = Date.now();
      let f: Frame;
      try {
        f = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (!f || typeof f.type !== 'string') return;
      if (f.type === 'ready') {
        clearTimeout(this.timer);
        this.up = true;
        this.attempt = 0;
        this.gen++;
        this.hooks.frame(f);
        if (this.ws === ws && this.up) this.hooks.state(true);
        return;
      }
      this.hooks.frame(f);
    };
    ws.onclose = () => {
      if (this.ws === ws) this.lost();
    };
    ws.onerror = () => {
      /* a close event follows */
    };
  }

  private lost(): void {
    const ws = this.ws;
    this.ws = null;
    this.up = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close(4000, 'reconnect');
      } catch {
        /* already closed */
      }
    }
    this.hooks.state(false);
    this.retry();
  }

  private retry(): void {
    clearTimeout(this.timer);
    const max = Math.min(10_000, 500 * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    // Jitter: wait between half and all of the backoff, so a restarted server is not hit by every widget at once.
    const delay = Math.max(500, max / 2 + Math.random() * (max / 2));
    this.timer = setTimeout(() => this.open(), delay);
  }

  private tick(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastRecv > DEAD_MS) {
      this.lost();
      return;
    }
    ws.send(JSON.stringify({ type: 'ping' }));
  }
}
