// Shapes of the kefu HTTP API (base /api/v1).

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  totp_enabled: boolean;
  created_at: string;
  last_login_at?: string | null;
}

export interface SessionInfo {
  id: string;
  anomaly: string;
  must_enroll_2fa: boolean;
}

export interface MeResponse {
  user: User;
  permissions: string[];
  csrf_token: string;
  session: SessionInfo;
}

export interface ListResponse<T> {
  items: T[];
  next_cursor?: string;
}

export interface LoginSession {
  id: string;
  ip: string;
  user_agent: string;
  anomaly: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  current: boolean;
}

export interface EnrollResponse {
  secret: string;
  otpauth_url: string;
  qr_png: string;
}

export interface Notice {
  id: string;
  kind: string;
  data: Record<string, unknown>;
  created_at: string;
  read_at?: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

export interface Role {
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
  require_2fa: boolean;
}

export interface Contact {
  id: string;
  name: string;
  phone: string;
  email: string;
  address: string;
  wechat_openid: string;
  shop_user_id: string;
  attributes: Record<string, unknown>;
  tags: string[];
  created_at: string;
  updated_at: string;
}

export type PIIField = 'name' | 'phone' | 'email' | 'address' | 'wechat_openid';

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  actor_id: string;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  ip: string;
  detail: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  broken_seq?: number;
  reason?: string;
}

export interface Settings {
  audit_retention_days: number;
  backup_enabled: boolean;
  backup_time: string;
  backup_keep: number;
  reveal_limit_per_hour: number;
  session_hours: number;
  login_max_failures: number;
  lockout_minutes: number;
  // The shop, as knowledge-base answers name it ({{shop.name}} …).
  shop_name: string;
  shop_hours: string;
  shop_phone: string;
  shop_return_address: string;
  shop_free_shipping_threshold: string;
  // Generative answers (absent on servers without them). The key is write-only:
  // GET gives "" and llm_api_key_set; PUT with "" keeps it, llm_api_key_clear removes it.
  llm_enabled?: boolean;
  llm_base_url?: string;
  llm_model?: string;
  llm_api_key?: string;
  llm_api_key_set?: boolean;
  llm_api_key_clear?: boolean;
}

// Conversations, messages and the agent inbox.

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type SenderType = 'customer' | 'agent' | 'bot' | 'system';

export interface Attachment {
  id: string;
  name: string;
  content_type: string;
  size: number;
  url: string;
}

export interface Message {
  id: string;
  conversation_id: string;
  seq: number;
  sender_type: SenderType;
  sender_id?: string;
  sender_name: string;
  private: boolean;
  client_id?: string;
  text: string;
  attachments: Attachment[] | null;
  status: string;
  created_at: string;
}

export interface Conversation {
  id: string;
  inbox_id: string;
  inbox_name: string;
  contact_id: string;
  channel: string;
  status: ConversationStatus;
  priority: Priority;
  assignee_id: string;
  assignee_name: string;
  team_id: string;
  team_name: string;
  subject: string;
  labels: string[] | null;
  snoozed_until?: string | null;
  created_at: string;
  first_reply_at?: string | null;
  resolved_at?: string | null;
  last_message_at: string;
  waiting_since?: string | null;
  /** When the conversation started waiting for auto-assignment. */
  queued_at?: string | null;
  /** The SLA policy that set the due times below. */
  sla_policy_id?: string;
  /** When the first reply is due (SLA). */
  first_response_due?: string | null;
  /** When the next reply to the customer's latest message is due (SLA). */
  next_response_due?: string | null;
  /** When the conversation should be resolved (SLA). */
  resolution_due?: string | null;
  /** SLA alerts already raised, e.g. "first_response.warning", "first_response.breach". */
  sla_fired?: string[] | null;
  last_seq: number;
  customer_read_seq: number;
  agent_read_seq: number;
  previous_id?: string;
  updated_at: string;
  /** The bot still answers; agents take over at handoff. */
  bot?: boolean;
  /** What the customer wants (an intent name), or "" when not classified. */
  intent?: string;
  /** Who set the intent: the bot's classifier or an agent's correction. */
  intent_source?: 'bot' | 'agent' | '';
  /** A complaint's category (see lib/complaints), or "" when not a complaint. */
  complaint_category?: string;
  /** A complaint's severity: low, medium, high, critical, or "". */
  complaint_severity?: string;
  contact?: Contact;
  last_message?: Message;
  unread: number;
}

export type ConversationView = 'mine' | 'unassigned' | 'team' | 'all';

export interface ConversationList extends ListResponse<Conversation> {
  counts?: Partial<Record<ConversationView, number>>;
}

export interface ConversationEvent {
  id: string;
  conversation_id: string;
  type: string;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  data: Record<string, unknown> | null;
  created_at: string;
}

export interface Agent {
  id: string;
  name: string;
  role: string;
  team_ids: string[] | null;
  online: boolean;
}

export type RoutingStrategy = 'least_loaded' | 'round_robin';

export interface Team {
  id: string;
  name: string;
  description: string;
  member_ids: string[] | null;
  created_at?: string;
  strategy?: RoutingStrategy;
  auto_assign?: boolean;
  overflow_team_id?: string;
  overflow_minutes?: number;
  calendar_id?: string;
}

export type Presence = 'online' | 'busy' | 'away' | 'offline';

/** An agent as the router sees them: presence, capacity and load per kind, skills. */
export interface RoutingAgent {
  user_id: string;
  name: string;
  status: Presence;
  status_at?: string;
  capacity: Record<string, number> | null;
  skills: string[] | null;
  team_ids: string[] | null;
  load: Record<string, number> | null;
  last_assigned_at?: string | null;
}

export interface QueueTeam {
  team_id: string;
  team_name: string;
  auto_assign: boolean;
  waiting: number;
  longest_wait_ms: number;
  agents_online: number;
  capacity_free: number;
  conversations: Conversation[] | null;
}

export interface SearchMessageHit {
  conversation_id: string;
  message_id: string;
  seq: number;
  sender_type: SenderType;
  text: string;
  created_at: string;
  contact_name: string;
}

export interface SearchResult {
  messages: SearchMessageHit[] | null;
  contacts: Contact[] | null;
}

export type CannedScope = 'personal' | 'team' | 'shared';

export interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  content: string;
  scope: CannedScope;
  team_id?: string;
  owner_id?: string;
  created_at: string;
  updated_at: string;
}

export interface Inbox {
  id: string;
  name: string;
  channel: string;
  website_token: string;
  identity_secret?: string;
  team_id: string;
  greeting: string;
  offline_message: string;
  prechat_enabled: boolean;
  prechat_fields: string[] | null;
  reopen_window_hours: number;
  /** New conversations start with the bot. */
  bot_enabled?: boolean;
  /** The bot answers only at or above this confidence (0–1); 0 takes the default. */
  bot_threshold?: number;
  /** The survey sent when a conversation is resolved: "", csat, nps or both. */
  survey?: '' | 'csat' | 'nps' | 'both';
  /** Hours a survey stays open; 0 takes 72. */
  survey_expiry_hours?: number;
  created_at: string;
}

/** Work another department owes on a conversation (kefu.Task). */
export interface Task {
  id: string;
  conversation_id: string;
  department: string;
  title: string;
  note: string;
  owner_id: string;
  owner_name: string;
  status: 'open' | 'in_progress' | 'done' | 'cancelled';
  due_at?: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  done_at?: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[] | null;
  secret?: string;
  active: boolean;
  created_at: string;
}

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  next_attempt_at?: string | null;
  last_status_code: number;
  last_error: string;
  created_at: string;
  delivered_at?: string | null;
}

// The knowledge base: help-centre articles (Markdown, with revisions) and FAQ entries.

export type KBLocale = 'zh-CN' | 'en';
export type KBStatus = 'draft' | 'published';

export interface Article {
  id: string;
  locale: KBLocale;
  slug: string;
  title: string;
  body: string;
  category: string;
  intent?: string;
  status: KBStatus;
  revision: number;
  author_id?: string;
  created_at: string;
  updated_at: string;
}

export interface ArticleRevision {
  article_id: string;
  revision: number;
  title: string;
  body: string;
  author_id?: string;
  created_at: string;
}

export interface FAQ {
  id: string;
  locale: KBLocale;
  category: string;
  intent?: string;
  question: string;
  alternatives: string[] | null;
  answer: string;
  status: KBStatus;
  created_at: string;
  updated_at: string;
}

export interface KBImportProblem {
  item: string;
  field?: string;
  message: string;
}

export interface KBImportResult {
  created: number;
  updated: number;
  problems: KBImportProblem[] | null;
}

// The bot and agent assist.

/** A reply an agent may insert with one click (GET /conversations/{id}/suggestions). */
export interface Suggestion {
  source: 'faq' | 'canned' | string;
  id: string;
  /** The FAQ question or the canned reply's title. */
  title: string;
  text: string;
  /** 0–1 */
  score: number;
}

/** A question the bot could not answer, with how often it came (GET /kb/unanswered). */
export interface UnansweredQuestion {
  question: string;
  count: number;
  intent: string;
  last_at: string;
}

export interface BotReportIntent {
  intent: string;
  turns: number;
  answered: number;
  handed_off: number;
}

export interface BotReportDay {
  date: string;
  answered: number;
  handed_off: number;
}

/** GET /reports/bot?days=N */
export interface BotReport {
  from: string;
  to: string;
  turns: number;
  answered: number;
  handed_off: number;
  actions: number;
  helpful: number;
  not_helpful: number;
  no_feedback: number;
  conversations: number;
  resolved_by_bot: number;
  handoff_reasons: Record<string, number> | null;
  intents: BotReportIntent[] | null;
  daily: BotReportDay[] | null;
}

// Business hours, SLA policies and automation rules.

export interface Shift {
  start: string;
  end: string;
}

export interface CalendarDay {
  date: string;
  name: string;
  shifts?: Shift[];
}

export interface BusinessCalendar {
  id: string;
  name: string;
  is_default: boolean;
  created_at: string;
  updated_at: string;
  time_zone: string;
  weekly: Record<string, Shift[] | null> | null;
  holidays: CalendarDay[] | null;
  workdays: CalendarDay[] | null;
}

export interface SLAPolicy {
  id: string;
  name: string;
  priority: '' | Priority;
  team_id: string;
  channel: string;
  first_response_minutes: number;
  next_response_minutes: number;
  resolution_minutes: number;
  warn_percent: number;
  position: number;
  created_at?: string;
  updated_at?: string;
}

export interface RuleCondition {
  field: string;
  op: string;
  value?: unknown;
}

export interface RuleAction {
  type: string;
  value?: string;
  values?: string[];
}

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  events: string[];
  match: 'all' | 'any' | '';
  conditions: RuleCondition[] | null;
  actions: RuleAction[] | null;
  position: number;
  stop_after?: boolean;
}

export interface RuleConditionResult {
  index: number;
  field: string;
  op: string;
  held: boolean;
  absent?: boolean;
  actual?: string;
  why: string;
}

export interface RulePreview {
  matched: boolean;
  conditions: RuleConditionResult[] | null;
}

// ---- Orders and returns (after-sales) ----

export interface TrackingEvent {
  at: string;
  status: string;
  description: string;
  location?: string;
}

export interface Shipment {
  carrier: string;
  tracking_no: string;
  status: string;
  shipped_at?: string | null;
  promised_at?: string | null;
  signed_at?: string | null;
  events?: TrackingEvent[];
}

export interface OrderItem {
  sku: string;
  name: string;
  category?: string;
  quantity: number;
  /** fen per unit */
  price: number;
}

export interface Order {
  id: string;
  shop_order_id: string;
  contact_id: string;
  status: string;
  payment_method: string;
  items: OrderItem[] | null;
  total: number;
  shipping: number;
  shipping_free: number;
  discount: number;
  coupons: { code: string; value: number }[] | null;
  gifts: { name: string; value: number }[] | null;
  shipments: Shipment[] | null;
  placed_at: string;
  paid_at?: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReturnLine {
  sku: string;
  quantity: number;
}

export interface ReturnBreakdown {
  items: number;
  coupon_share: number;
  broken_free_shipping: number;
  gifts_not_returned: number;
  return_freight_paid_by: string;
  refund: number;
  method: string;
}

export interface ReturnRefusal {
  sku?: string;
  code: string;
  article?: string;
  message: string;
}

export interface ReturnPreview {
  decision: { allowed: boolean; path: string; window_ends?: string | null; refusals?: ReturnRefusal[] | null };
  breakdown: ReturnBreakdown;
}

export interface ReturnDue {
  name: string;
  due: string;
  kind: string;
  at: string;
}

export interface ReturnDeadlines {
  address_due?: string | null;
  address_penalty?: string | null;
  refund_due?: string | null;
  refund_penalty?: string | null;
}

export interface Return {
  id: string;
  order_id: string;
  shop_order_id: string;
  contact_id: string;
  conversation_id?: string;
  kind: string;
  reason: string;
  path: string;
  description: string;
  lines: ReturnLine[] | null;
  gifts_returned: boolean;
  state: string;
  reject_reason?: string;
  return_address?: string;
  carrier?: string;
  tracking_no?: string;
  inspection_passed?: boolean | null;
  inspection_notes?: string;
  new_shipment?: Shipment | null;
  breakdown: ReturnBreakdown;
  refunded?: number;
  requested_at: string;
  approved_at?: string | null;
  address_sent_at?: string | null;
  shipped_at?: string | null;
  received_at?: string | null;
  inspected_at?: string | null;
  refunded_at?: string | null;
  closed_at?: string | null;
  deadlines: ReturnDeadlines;
  next?: ReturnDue | null;
  penalty_risk: boolean;
  created_at: string;
  updated_at: string;
}

export interface ReturnEvent {
  id: string;
  type: string;
  actor_type: string;
  actor_name?: string;
  data: Record<string, unknown> | null;
  created_at: string;
}

export interface ReturnCreateInput {
  order_id: string;
  conversation_id?: string;
  kind: string;
  reason: string;
  description: string;
  lines: ReturnLine[];
  gifts_returned: boolean;
}

/** Nanoseconds, as a Go time.Duration is written in JSON. */
export type Nanos = number;

/** kpi.Summary: the service KPIs over many conversations; shares are 0–1, each with its counts. */
export interface KpiSummary {
  conversations: number;
  frt_owed: number;
  frt_answered: number;
  frt_median: Nanos;
  frt_p90: Nanos;
  frt_within: Record<string, number> | null;
  handoffs_answered: number;
  frt_after_handoff_median: Nanos;
  reopen_episodes: number;
  reopen_episodes_answered: number;
  reopen_frt_median: Nanos;
  turns: number;
  unanswered_turns: number;
  avg_response: Nanos;
  avg_response_capped: Nanos;
  turns_within: Record<string, number> | null;
  resolved: number;
  resolution_median: Nanos;
  handled: number;
  aht: Nanos;
  fcr_count: number;
  fcr: number;
  contacts_resolved: number;
  repeat_contacts: number;
  repeat_rate: number;
  escalated: number;
  transferred: number;
  escalation_rate: number;
  transfer_rate: number;
  sla_targets: number;
  sla_met: number;
  sla_compliance: number;
  csat_answers: number;
  csat: number;
  csat_mean: number;
  nps_answers: number;
  nps: number;
  bot_started: number;
  bot_contained: number;
  bot_containment: number;
  customer_messages: number;
  covered_3m: number;
  coverage_3m: number;
}

/** GET /reports/kpi. */
export interface KpiReport {
  from: string;
  to: string;
  summary: KpiSummary;
  queue: { waiting: number; longest_wait_ms: number };
  /** The workspace's targets (settings), which the cards are judged against. */
  targets: KpiTargets;
}

/** reports.Point: one day (2026-11-23) or one hour of day ("09") of the KPI trends. */
export interface KpiTrendPoint {
  key: string;
  conversations: number;
  frt_median: Nanos;
  frt_within_3m: number;
  fcr: number;
  resolved: number;
  csat: number;
  csat_answers: number;
}

/** reports.Rank: how often an intent or complaint category came up, and in the period before. */
export interface KpiRank {
  key: string;
  count: number;
  previous: number;
}

/** reports.Comment: a survey answer with a comment. */
export interface KpiComment {
  conversation_id: string;
  csat?: number;
  nps?: number;
  comment: string;
  at: string;
}

/** reports.Trends: GET /reports/kpi/trends. */
export interface KpiTrends {
  daily: KpiTrendPoint[] | null;
  hourly: KpiTrendPoint[] | null;
  intents: KpiRank[] | null;
  complaints: KpiRank[] | null;
  csat_distribution: number[] | null;
  nps_distribution: number[] | null;
  comments: KpiComment[] | null;
}

/** kefu.KPITargets: the goals the dashboards compare with; shares are 0–1. */
export interface KpiTargets {
  frt_minutes: number;
  fcr: number;
  repeat_rate: number;
  escalation_rate: number;
  csat: number;
  coverage: number;
  peak_queue: number;
}

/**
 * GET /reports/live: today since midnight in the workspace's time zone against the same day a week
 * before (summary up to the same time of day, hours over the whole day), with the queues as they are now.
 */
export interface KpiLive {
  from: string;
  to: string;
  today: KpiSummary;
  last_week: KpiSummary;
  hourly_today: KpiTrendPoint[] | null;
  hourly_last_week: KpiTrendPoint[] | null;
  /** Empty when the reader may not see the queues. */
  queues: QueueTeam[] | null;
  /** Agents by presence, each counted once; empty when the reader may not see the queues. */
  agents: { online?: number; busy?: number; away?: number; offline?: number; free_chat_places?: number };
  targets: KpiTargets;
}

/** staffing.Plan: one 30-minute interval of a typical day, Erlang C. */
export interface StaffingPlan {
  start: string;
  contacts: number;
  traffic_erlangs: number;
  agents: number;
  scheduled: number;
  service_level: number;
  asa: Nanos;
  occupancy: number;
}

/** reports.Staffing: GET /reports/staffing. */
export interface StaffingReport {
  days: number;
  aht: Nanos;
  plans: StaffingPlan[] | null;
}

/** reports.Finding: one KPI against its target, with the kefu features that help. */
export interface DiagnosisFinding {
  kpi: string;
  value: number;
  target: number;
  reference: string;
  met: boolean;
  known: boolean;
  features?: string[] | null;
}

/** reports.Slot: an hour ("09") or an intent of the diagnosis. */
export interface DiagnosisSlot {
  key: string;
  conversations: number;
  frt_median: Nanos;
  fcr: number;
  resolved: number;
}

/** reports.Diagnosis: GET /reports/diagnosis. */
export interface DiagnosisReport {
  summary: KpiSummary;
  findings: DiagnosisFinding[] | null;
  worst_hours: DiagnosisSlot[] | null;
  top_intents: DiagnosisSlot[] | null;
  worst_intents: DiagnosisSlot[] | null;
}

/** kpi.Facts: one conversation's measures. */
export interface KpiFacts {
  conversation_id: string;
  contact_id: string;
  channel: string;
  team_id: string;
  assignee_id: string;
  intent: string;
  contact_tier: string;
  created_at: string;
  first_response?: Nanos | null;
  first_response_owed: boolean;
  first_response_after_handoff?: Nanos | null;
  response_times?: Nanos[] | null;
  unanswered_turns: number;
  resolution?: Nanos | null;
  resolved_at?: string | null;
  handle: Nanos;
  resolved: boolean;
  reopened: boolean;
  reopens: number;
  transferred: boolean;
  escalated: boolean;
  fcr?: boolean | null;
  repeat_contact?: boolean | null;
  bot_started: boolean;
  bot_contained: boolean;
  asked_for_human: boolean;
  sla_targets: number;
  sla_met: number;
  csat?: number | null;
  nps?: number | null;
  coverage_3m: number;
  customer_messages: number;
}

/** One row of GET /reports/kpi/agents. */
export interface KpiAgentRow {
  agent_id: string;
  summary: KpiSummary;
}

/** One row of GET /reports/kpi/teams ("" = the conversations without a team). */
export interface KpiTeamRow {
  team_id: string;
  summary: KpiSummary;
}
