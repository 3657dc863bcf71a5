import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { Attachment, Conversation, ConversationEvent, ListResponse, Message } from '../../api/types';
import { newClientId } from '../../lib/clientId';

export type ComposeKind = 'reply' | 'note';

/** A message as the console shows it: from the server, or one of ours still sending (or failed). */
export interface LocalMessage extends Message {
  pending?: 'sending' | 'failed';
  kind?: ComposeKind;
  mentions?: string[];
}

const PAGE = 200;
const MAX_PAGES = 25;

export const convPath = (id: string) => `/conversations/${encodeURIComponent(id)}`;

/** Every message after seq `after`, page by page. */
export async function fetchMessages(id: string, after: number, signal?: AbortSignal): Promise<Message[]> {
  const out: Message[] = [];
  let from = after;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res = await api.get<ListResponse<Message>>(`${convPath(id)}/messages`, { after: from, limit: PAGE }, signal);
    const items = res.items ?? [];
    out.push(...items);
    if (items.length < PAGE) break;
    from = items[items.length - 1].seq;
  }
  return out;
}

/** Adds server messages to a list: one per id, in seq order, our pending ones (not yet matched by client_id) last. */
export function mergeMessages(prev: LocalMessage[], incoming: Message[]): LocalMessage[] {
  const byId = new Map<string, LocalMessage>();
  for (const m of prev) if (!m.pending) byId.set(m.id, m);
  let pending = prev.filter((m) => m.pending);
  for (const m of incoming) {
    byId.set(m.id, m);
    if (m.client_id) pending = pending.filter((p) => p.client_id !== m.client_id);
  }
  return [...[...byId.values()].sort((a, b) => a.seq - b.seq), ...pending];
}

/** Merges a changed conversation into the one we have, keeping what the change leaves out. */
export function mergeConversation<T extends Conversation>(prev: T, next: Conversation): T {
  return {
    ...prev,
    ...next,
    contact: next.contact ?? prev.contact,
    last_message: next.last_message ?? prev.last_message,
    unread: typeof next.unread === 'number' ? next.unread : prev.unread,
  };
}

interface Me {
  id: string;
  name: string;
}

/**
 * The open conversation: its record, every message (with ours while they send),
 * the timeline events on demand, and the customer's typing. Frames from the
 * agent socket go in through the apply* functions.
 */
export function useConversation(id: string | undefined, me: Me, onError: (err: unknown) => void) {
  const [conv, setConv] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<LocalMessage[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [customerTyping, setCustomerTyping] = useState(false);
  const [agentTyping, setAgentTyping] = useState<string | null>(null);
  const [events, setEvents] = useState<ConversationEvent[] | null>(null);
  const [showEvents, setShowEvents] = useState(false);
  const idRef = useRef(id);
  const messagesRef = useRef(messages);
  const typingTimer = useRef<number | undefined>(undefined);
  const agentTypingTimer = useRef<number | undefined>(undefined);

  const lastSeq = useMemo(() => messages.reduce((n, m) => (m.pending ? n : Math.max(n, m.seq)), 0), [messages]);
  const lastSeqRef = useRef(lastSeq);
  useEffect(() => {
    messagesRef.current = messages;
    lastSeqRef.current = lastSeq;
  }, [messages, lastSeq]);

  useEffect(() => {
    idRef.current = id;
    setConv(null);
    setMessages([]);
    setEvents(null);
    setCustomerTyping(false);
    setAgentTyping(null);
    setLoadError(null);
    if (!id) return;
    const ctl = new AbortController();
    setLoading(true);
    Promise.all([api.get<Conversation>(convPath(id), undefined, ctl.signal), fetchMessages(id, 0, ctl.signal)])
      .then(([c, ms]) => {
        setConv(c);
        setMessages(mergeMessages([], ms));
      })
      .catch((err) => {
        if ((err as Error).name !== 'AbortError') setLoadError(err);
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [id]);

  const loadEvents = useCallback(async () => {
    const cid = idRef.current;
    if (!cid) return;
    try {
      const res = await api.get<ListResponse<ConversationEvent>>(`${convPath(cid)}/events`);
      if (idRef.current === cid) setEvents(res.items ?? []);
    } catch (err) {
      onError(err);
    }
  }, [onError]);

  // Events load with the conversation, not only with the timeline switch on:
  // a transfer's note must be the first thing the receiver reads.
  useEffect(() => {
    if (id) void loadEvents();
  }, [id, loadEvents]);

  /** Fetches what the socket may have missed: the conversation and messages after the last seq. */
  const catchUp = useCallback(async () => {
    const cid = idRef.current;
    if (!cid) return;
    try {
      const [c, ms] = await Promise.all([api.get<Conversation>(convPath(cid)), fetchMessages(cid, lastSeqRef.current)]);
      if (idRef.current !== cid) return;
      setConv((prev) => (prev ? mergeConversation(prev, c) : c));
      setMessages((prev) => mergeMessages(prev, ms));
    } catch {
      // the next frame or reconnect tries again
    }
  }, []);

  const applyMessage = useCallback(
    (m: Message) => {
      if (!m || m.conversation_id !== idRef.current) return;
      const gap = lastSeqRef.current > 0 && m.seq > lastSeqRef.current + 1;
      setMessages((prev) => mergeMessages(prev, [m]));
      if (m.sender_type === 'customer') setCustomerTyping(false);
      setConv((c) =>
        c && m.seq > c.last_seq
          ? {
              ...c,
              last_seq: m.seq,
              last_message_at: m.created_at,
              waiting_since:
                m.sender_type === 'customer' ? (c.waiting_since ?? m.created_at) : m.sender_type === 'agent' && !m.private ? null : c.waiting_since,
            }
          : c,
      );
      if (gap) void catchUp();
      if (showEvents && !m.private) void loadEvents();
    },
    [catchUp, loadEvents, showEvents],
  );

  const applyConversation = useCallback(
    (c: Conversation) => {
      if (!c || c.id !== idRef.current) return;
      setConv((prev) => (prev ? mergeConversation(prev, c) : prev));
      void loadEvents();
    },
    [loadEvents],
  );

  const applyTyping = useCallback(
    (conversationId: string, who: string, on: boolean, name?: string) => {
      if (conversationId !== idRef.current) return;
      if (who === 'customer') {
        window.clearTimeout(typingTimer.current);
        setCustomerTyping(on);
        if (on) typingTimer.current = window.setTimeout(() => setCustomerTyping(false), 8000);
      } else if (who && who !== me.id) {
        window.clearTimeout(agentTypingTimer.current);
        setAgentTyping(on ? name || who : null);
        if (on) agentTypingTimer.current = window.setTimeout(() => setAgentTyping(null), 8000);
      }
    },
    [me.id],
  );

  const applyRead = useCallback((conversationId: string, seq: number) => {
    if (conversationId !== idRef.current) return;
    setConv((c) => (c && seq > c.customer_read_seq ? { ...c, customer_read_seq: seq } : c));
  }, []);

  useEffect(
    () => () => {
      window.clearTimeout(typingTimer.current);
      window.clearTimeout(agentTypingTimer.current);
    },
    [],
  );

  const post = useCallback(
    async (local: LocalMessage) => {
      const cid = local.conversation_id;
      const isNote = local.kind === 'note';
      try {
        const body = isNote
          ? { text: local.text, mentions: local.mentions ?? [] }
          : { client_id: local.client_id, text: local.text, attachments: (local.attachments ?? []).map((a) => a.id) };
        const m = await api.post<Message>(`${convPath(cid)}/${isNote ? 'notes' : 'messages'}`, body);
        if (idRef.current !== cid) return;
        setMessages((prev) => mergeMessages(prev.filter((x) => x.client_id !== local.client_id), m ? [m] : []));
        if (!isNote) setConv((c) => (c ? { ...c, waiting_since: null } : c));
      } catch (err) {
        if (idRef.current === cid)
          setMessages((prev) => prev.map((x) => (x.client_id === local.client_id ? { ...x, pending: 'failed' } : x)));
        onError(err);
      }
    },
    [onError],
  );

  /** Sends a reply or a note; it shows at once as "sending". */
  const send = useCallback(
    (kind: ComposeKind, text: string, extra: { attachments?: Attachment[]; mentions?: string[] } = {}) => {
      const cid = idRef.current;
      if (!cid) return;
      const clientId = newClientId();
      const local: LocalMessage = {
        id: `local-${clientId}`,
        conversation_id: cid,
        seq: 0,
        sender_type: 'agent',
        sender_id: me.id,
        sender_name: me.name,
        private: kind === 'note',
        client_id: clientId,
        text,
        attachments: extra.attachments ?? [],
        status: 'sending',
        created_at: new Date().toISOString(),
        pending: 'sending',
        kind,
        mentions: extra.mentions,
      };
      setMessages((prev) => [...prev, local]);
      void post(local);
    },
    [me.id, me.name, post],
  );

  /** Sends a failed message again with the same client_id, so the server stores it once. */
  const retry = useCallback(
    (clientId: string) => {
      const local = messagesRef.current.find((m) => m.client_id === clientId && m.pending === 'failed');
      if (!local) return;
      const again = { ...local, pending: 'sending' as const };
      setMessages((prev) => prev.map((m) => (m.client_id === clientId ? again : m)));
      void post(again);
    },
    [post],
  );

  /** POST /conversations/{id}/{action}; the answer replaces the conversation. Errors are thrown to the caller. */
  const act = useCallback(async (action: string, body: unknown) => {
    const cid = idRef.current;
    if (!cid) throw new Error('no conversation');
    const c = await api.post<Conversation>(`${convPath(cid)}/${action}`, body);
    if (idRef.current === cid && c) setConv((prev) => (prev ? mergeConversation(prev, c) : c));
    return c;
  }, []);

  const patch = useCallback(async (body: Partial<Pick<Conversation, 'priority' | 'labels' | 'subject' | 'intent' | 'complaint_category' | 'complaint_severity'>>) => {
    const cid = idRef.current;
    if (!cid) throw new Error('no conversation');
    setConv((prev) => (prev ? { ...prev, ...body } : prev));
    const c = await api.patch<Conversation>(convPath(cid), body);
    if (idRef.current === cid && c) setConv((prev) => (prev ? mergeConversation(prev, c) : c));
    return c;
  }, []);

  return {
    conv,
    messages,
    loading,
    loadError,
    lastSeq,
    customerTyping,
    agentTyping,
    events,
    showEvents,
    setShowEvents,
    catchUp,
    applyMessage,
    applyConversation,
    applyTyping,
    applyRead,
    send,
    retry,
    act,
    patch,
  };
}

export type OpenConversation = ReturnType<typeof useConversation>;
