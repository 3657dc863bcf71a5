import { useCallback, useEffect, useRef, useState } from 'react';
import { API_BASE } from '../api/client';
import type { Conversation, Message, Notice } from '../api/types';

// The agent's live socket (docs/realtime.md): the server pushes conversation,
// message, typing and notice frames; the console sends typing, read, ping and activity.

export type AgentFrame =
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'message'; conversation_id: string; message: Message }
  | { type: 'typing'; conversation_id: string; on: boolean; who: string; name?: string }
  | { type: 'read'; conversation_id: string; seq: number }
  | { type: 'notice'; notice: Notice }
  | { type: 'pong' };

export type OutgoingFrame =
  | { type: 'typing'; conversation_id: string; on: boolean }
  | { type: 'read'; conversation_id: string; seq: number }
  | { type: 'ping' }
  | { type: 'activity' };

export type SocketState = 'connecting' | 'open' | 'reconnecting';

const PING_MS = 25_000;
const MAX_BACKOFF_MS = 30_000;

function socketURL(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}${API_BASE}/ws`;
}

/**
 * Keeps the agent socket open while mounted: reconnects with exponential
 * backoff (1 s … 30 s, with jitter), at once when the browser comes back
 * online, and calls onReconnect after every reconnect so the caller can fetch
 * what it missed.
 */
export function useAgentSocket(onFrame: (f: AgentFrame) => void, onReconnect: () => void) {
  const handlers = useRef({ onFrame, onReconnect });
  useEffect(() => {
    handlers.current = { onFrame, onReconnect };
  });
  const wsRef = useRef<WebSocket | null>(null);
  const [state, setState] = useState<SocketState>('connecting');

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let everOpen = false;
    let timer: number | undefined;
    let ping: number | undefined;

    const schedule = () => {
      attempt++;
      const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt - 1, 5));
      timer = window.setTimeout(connect, base / 2 + (Math.random() * base) / 2);
    };

    function connect() {
      if (stopped) return;
      timer = undefined;
      let ws: WebSocket;
      try {
        ws = new WebSocket(socketURL());
      } catch {
        schedule();
        return;
      }
      wsRef.current = ws;
      ws.onopen = () => {
        const again = everOpen || attempt > 0;
        everOpen = true;
        attempt = 0;
        setState('open');
        ping = window.setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping' }));
        }, PING_MS);
        if (again) handlers.current.onReconnect();
      };
      ws.onmessage = (e) => {
        let f: unknown;
        try {
          f = JSON.parse(String(e.data));
        } catch {
          return;
        }
        if (f && typeof (f as { type?: unknown }).type === 'string') handlers.current.onFrame(f as AgentFrame);
      };
      ws.onclose = () => {
        window.clearInterval(ping);
        if (wsRef.current === ws) wsRef.current = null;
        if (stopped) return;
        setState('reconnecting');
        schedule();
      };
    }

    const wake = () => {
      if (stopped || wsRef.current || timer === undefined) return;
      window.clearTimeout(timer);
      connect();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.clearInterval(ping);
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      wsRef.current?.close();
      wsRef.current = null;
    };
  }, []);

  /** Sends a frame if the socket is open; reports whether it was sent. */
  const send = useCallback((frame: OutgoingFrame) => {
    const ws = wsRef.current;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }, []);

  return { state, send };
}
