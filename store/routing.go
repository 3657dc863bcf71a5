package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"kefu"
)

// ---- agents: presence, capacity, skills, load ----

// Agents returns every enabled user with presence, capacity, skills, teams
// and the open conversations assigned to them per channel kind.
func (q *Queries) Agents(ctx context.Context) ([]kefu.Agent, error) {
	rows, err := q.query(ctx, `SELECT id, name, status, status_at, capacity, skills, last_assigned_at
		FROM users WHERE disabled = 0 ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	var out []kefu.Agent
	index := map[string]int{}
	// Most agents share the same capacity and skills: decode each distinct
	// value once. The maps and slices are shared; callers only read them.
	capacities, skillSets := map[string]map[string]int{}, map[string][]string{}
	for rows.Next() {
		var a kefu.Agent
		var statusAt, lastAssigned sql.NullInt64
		var capacity, skills string
		if err := rows.Scan(&a.UserID, &a.Name, &a.Status, &statusAt, &capacity, &skills, &lastAssigned); err != nil {
			rows.Close()
			return nil, err
		}
		a.StatusAt, a.LastAssignedAt = fromNullMillis(statusAt), fromNullMillis(lastAssigned)
		var ok bool
		if a.Capacity, ok = capacities[capacity]; !ok {
			_ = json.Unmarshal([]byte(capacity), &a.Capacity)
			if a.Capacity == nil {
				a.Capacity = map[string]int{}
			}
			capacities[capacity] = a.Capacity
		}
		if a.Skills, ok = skillSets[skills]; !ok {
			_ = json.Unmarshal([]byte(skills), &a.Skills)
			a.Skills = nonNilSlice(a.Skills)
			skillSets[skills] = a.Skills
		}
		a.TeamIDs, a.Load = []string{}, map[string]int{}
		index[a.UserID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.query(ctx, `SELECT team_id, user_id FROM team_members ORDER BY team_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var team, user string
		if err := rows.Scan(&team, &user); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := index[user]; ok {
			out[i].TeamIDs = append(out[i].TeamIDs, team)
		}
	}
	rows.Close()
	loads, err := q.AgentLoads(ctx)
	if err != nil {
		return nil, err
	}
	for user, byChannel := range loads {
		if i, ok := index[user]; ok {
			for channel, n := range byChannel {
				out[i].Load[kefu.ChannelKind(channel)] += n
			}
		}
	}
	return out, nil
}

// AgentLoads counts open conversations per assignee and channel.
func (q *Queries) AgentLoads(ctx context.Context) (map[string]map[string]int, error) {
	rows, err := q.query(ctx, `SELECT assignee_id, channel, COUNT(*) FROM conversations
		WHERE assignee_id IS NOT NULL AND status = 'open' GROUP BY assignee_id, channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var user, channel string
		var n int
		if err := rows.Scan(&user, &channel, &n); err != nil {
			return nil, err
		}
		if out[user] == nil {
			out[user] = map[string]int{}
		}
		out[user][channel] = n
	}
	return out, rows.Err()
}

// SetPresence changes an agent's status.
func (q *Queries) SetPresence(ctx context.Context, userID, status string, at time.Time) error {
	res, err := q.exec(ctx, `UPDATE users SET status = ?, status_at = ? WHERE id = ?`, status, millis(at), userID)
	return affectedOne(res, err, "User")
}

// StaleOnline returns the online agents whose status has not been
// refreshed since a time: kefu marks them away.
func (q *Queries) StaleOnline(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := q.query(ctx, `SELECT id FROM users WHERE status = 'online' AND status_at < ?`, millis(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetAgentRouting stores an agent's capacity and skills.
func (q *Queries) SetAgentRouting(ctx context.Context, userID string, capacity map[string]int, skills []string) error {
	c, _ := json.Marshal(capacity)
	s, _ := json.Marshal(nonNilSlice(skills))
	res, err := q.exec(ctx, `UPDATE users SET capacity = ?, skills = ? WHERE id = ?`, string(c), string(s), userID)
	return affectedOne(res, err, "User")
}

func affectedOne(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(what)
	}
	return nil
}

// ---- teams ----

const teamColumns = `t.id, t.name, t.description, t.created_at, t.strategy, t.auto_assign, COALESCE(t.overflow_team_id, ''),
	t.overflow_minutes, COALESCE(t.calendar_id, ''), t.last_assigned_user`

// Team returns a team with its members, or ENOTFOUND.
func (q *Queries) Team(ctx context.Context, id string) (kefu.Team, error) {
	teams, err := q.teams(ctx, ` WHERE t.id = ?`, id)
	if err != nil {
		return kefu.Team{}, err
	}
	if len(teams) == 0 {
		return kefu.Team{}, notFound("Team")
	}
	return teams[0], nil
}

func (q *Queries) teams(ctx context.Context, where string, args ...any) ([]kefu.Team, error) {
	rows, err := q.query(ctx, `SELECT `+teamColumns+`, COALESCE(m.user_id, '')
		FROM teams t LEFT JOIN team_members m ON m.team_id = t.id`+where+` ORDER BY t.name, m.user_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.Team
	for rows.Next() {
		var t kefu.Team
		var created int64
		var auto int
		var member string
		if err := rows.Scan(&t.ID, &t.Name, &t.Description, &created, &t.Strategy, &auto, &t.OverflowTeamID,
			&t.OverflowMinutes, &t.CalendarID, &t.LastAssigned, &member); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != t.ID {
			t.CreatedAt, t.MemberIDs, t.AutoAssign = fromMillis(created), []string{}, auto == 1
			out = append(out, t)
		}
		if member != "" {
			last := &out[len(out)-1]
			last.MemberIDs = append(last.MemberIDs, member)
		}
	}
	return out, rows.Err()
}

// UpdateTeam writes a team's name, description, routing and members.
func (q *Queries) UpdateTeam(ctx context.Context, t kefu.Team) error {
	res, err := q.exec(ctx, `UPDATE teams SET name = ?, description = ?, strategy = ?, auto_assign = ?, overflow_team_id = ?,
		overflow_minutes = ?, calendar_id = ? WHERE id = ?`, t.Name, t.Description, t.Strategy, boolInt(t.AutoAssign),
		nullString(t.OverflowTeamID), t.OverflowMinutes, nullString(t.CalendarID), t.ID)
	if err := affectedOne(res, err, "Team"); err != nil {
		return mapError(err)
	}
	if _, err := q.exec(ctx, `DELETE FROM team_members WHERE team_id = ?`, t.ID); err != nil {
		return err
	}
	for _, u := range t.MemberIDs {
		if _, err := q.exec(ctx, `INSERT INTO team_members (team_id, user_id) VALUES (?, ?)`, t.ID, u); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// ---- queue and assignment ----

// queueOrder is the queue's order: the SLA due soonest, then priority, then
// the longest wait. The conversations_queue index has the same expressions,
// so the head of a queue is read without sorting it.
const queueOrder = `CASE WHEN first_response_due IS NULL THEN 1 ELSE 0 END, first_response_due,
	CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, queued_at, id`

// Queue returns up to limit conversations waiting for auto-assignment in
// the given teams (all teams when none are given; "" is the unteamed queue),
// in queue order.
func (q *Queries) Queue(ctx context.Context, teamIDs []string, limit int) ([]kefu.Conversation, error) {
	where := `queued_at IS NOT NULL`
	var args []any
	if len(teamIDs) > 0 {
		var named []any
		unteamed := false
		for _, id := range teamIDs {
			if id == "" {
				unteamed = true
			} else {
				named = append(named, id)
			}
		}
		var alts []string
		if len(named) > 0 {
			alts = append(alts, `team_id IN (`+placeholders(len(named))+`)`)
			args = append(args, named...)
		}
		if unteamed {
			alts = append(alts, `team_id IS NULL`)
		}
		where += ` AND (` + strings.Join(alts, ` OR `) + `)`
	}
	args = append(args, limit)
	// The ids in queue order first, from the index alone; then the rows.
	return q.conversations(ctx, `SELECT `+conversationColumns+conversationFrom+` JOIN (SELECT id AS qid, ROW_NUMBER() OVER (ORDER BY `+
		queueOrder+`) AS place FROM conversations WHERE `+where+` ORDER BY `+queueOrder+` LIMIT ?) h ON h.qid = c.id ORDER BY h.place`, args...)
}

// QueuePosition returns how many conversations are ahead of one in its
// team's queue (0: next), and the queue's length.
func (q *Queries) QueuePosition(ctx context.Context, c kefu.Conversation) (ahead, total int, err error) {
	if c.QueuedAt == nil {
		return 0, 0, nil
	}
	queue, err := q.Queue(ctx, []string{c.TeamID}, 10000)
	if err != nil {
		return 0, 0, err
	}
	for i, w := range queue {
		if w.ID == c.ID {
			return i, len(queue), nil
		}
	}
	return 0, len(queue), nil
}

// SetQueued puts a conversation in (at != nil) or out of the assignment queue.
func (q *Queries) SetQueued(ctx context.Context, id string, at *time.Time) error {
	_, err := q.exec(ctx, `UPDATE conversations SET queued_at = ? WHERE id = ?`, nullMillis(at), id)
	return err
}

// Claim assigns a queued conversation to an agent if — checked under a lock
// on the agent's row, so that kefu processes sharing one PostgreSQL never
// overfill an agent or assign a conversation twice — the conversation is
// still open, unassigned and with no bot, and the agent is online with room
// for one more of its kind. It reports whether the claim won.
func (q *Queries) Claim(ctx context.Context, conversationID, agentID string, channels []string, capacity int, now time.Time) (bool, error) {
	if q.tx == nil {
		panic("store: Claim must run in a transaction")
	}
	lock := `SELECT status FROM users WHERE id = ?`
	if q.dialect == Postgres {
		lock += ` FOR UPDATE`
	}
	var status string
	if err := q.queryRow(ctx, lock, agentID).Scan(&status); err != nil {
		return false, mapError(err)
	}
	if status != kefu.PresenceOnline {
		return false, nil
	}
	args := []any{agentID}
	for _, ch := range channels {
		args = append(args, ch)
	}
	var load int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM conversations WHERE assignee_id = ? AND status = 'open'
		AND channel IN (`+placeholders(len(channels))+`)`, args...).Scan(&load); err != nil {
		return false, err
	}
	if load >= capacity {
		return false, nil
	}
	res, err := q.exec(ctx, `UPDATE conversations SET assignee_id = ?, queued_at = NULL, updated_at = ?
		WHERE id = ? AND assignee_id IS NULL AND status = 'open' AND bot = 0`, agentID, millis(now), conversationID)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	_, err = q.exec(ctx, `UPDATE users SET last_assigned_at = ? WHERE id = ?`, millis(now), agentID)
	return true, err
}

// SetRoundRobin records the agent a round-robin team assigned to last.
func (q *Queries) SetRoundRobin(ctx context.Context, teamID, userID string) error {
	_, err := q.exec(ctx, `UPDATE teams SET last_assigned_user = ? WHERE id = ?`, userID, teamID)
	return err
}

// LastAgentOf returns the agent who last served a contact in a conversation
// updated since a time, for sticky assignment; "" when none.
func (q *Queries) LastAgentOf(ctx context.Context, contactID, exceptConversation string, since time.Time) (string, error) {
	var id string
	err := q.queryRow(ctx, `SELECT assignee_id FROM conversations WHERE contact_id = ? AND id <> ? AND assignee_id IS NOT NULL
		AND updated_at >= ? ORDER BY updated_at DESC LIMIT 1`, contactID, exceptConversation, millis(since)).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, err
}

// placeholders returns n comma-separated ? marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// TouchOnline refreshes an online agent's status time: they are active.
func (q *Queries) TouchOnline(ctx context.Context, userID string, at time.Time) error {
	_, err := q.exec(ctx, `UPDATE users SET status_at = ? WHERE id = ? AND status = 'online'`, millis(at), userID)
	return err
}

// ---- business-hours calendars ----

// CalendarRow is a stored calendar; Definition is calendar.Calendar as JSON.
type CalendarRow struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Definition string    `json:"-"`
	IsDefault  bool      `json:"is_default"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

const calendarColumns = `id, name, definition, is_default, created_at, updated_at`

func scanCalendar(s interface{ Scan(...any) error }) (CalendarRow, error) {
	var c CalendarRow
	var created, updated int64
	var def int
	if err := s.Scan(&c.ID, &c.Name, &c.Definition, &def, &created, &updated); err != nil {
		return c, mapError(err)
	}
	c.IsDefault, c.CreatedAt, c.UpdatedAt = def == 1, fromMillis(created), fromMillis(updated)
	return c, nil
}

// Calendar returns a calendar, or ENOTFOUND.
func (q *Queries) Calendar(ctx context.Context, id string) (CalendarRow, error) {
	return scanCalendar(q.queryRow(ctx, `SELECT `+calendarColumns+` FROM calendars WHERE id = ?`, id))
}

// DefaultCalendar returns the workspace's calendar, or ENOTFOUND when there is none.
func (q *Queries) DefaultCalendar(ctx context.Context) (CalendarRow, error) {
	return scanCalendar(q.queryRow(ctx, `SELECT `+calendarColumns+` FROM calendars WHERE is_default = 1 ORDER BY id LIMIT 1`))
}

// Calendars lists calendars by name.
func (q *Queries) Calendars(ctx context.Context) ([]CalendarRow, error) {
	rows, err := q.query(ctx, `SELECT `+calendarColumns+` FROM calendars ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CalendarRow{}
	for rows.Next() {
		c, err := scanCalendar(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PutCalendar inserts or replaces a calendar. Making one the default
// unmakes the others.
func (q *Queries) PutCalendar(ctx context.Context, c CalendarRow) error {
	if c.IsDefault {
		if _, err := q.exec(ctx, `UPDATE calendars SET is_default = 0 WHERE id <> ?`, c.ID); err != nil {
			return err
		}
	}
	_, err := q.exec(ctx, `INSERT INTO calendars (id, name, definition, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition, is_default = excluded.is_default,
		updated_at = excluded.updated_at`, c.ID, c.Name, c.Definition, boolInt(c.IsDefault), millis(c.CreatedAt), millis(c.UpdatedAt))
	return mapError(err)
}

// DeleteCalendar removes a calendar; teams using it fall back to the default.
func (q *Queries) DeleteCalendar(ctx context.Context, id string) error {
	res, err := q.exec(ctx, `DELETE FROM calendars WHERE id = ?`, id)
	return affectedOne(res, err, "Calendar")
}

// ---- SLA policies ----

const slaColumns = `id, name, priority, team_id, channel, first_response_minutes, next_response_minutes, resolution_minutes,
	warn_percent, position, created_at, updated_at`

// SLAPolicies lists the policies in the order they are tried.
func (q *Queries) SLAPolicies(ctx context.Context) ([]kefu.SLAPolicy, error) {
	rows, err := q.query(ctx, `SELECT `+slaColumns+` FROM sla_policies ORDER BY position, created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []kefu.SLAPolicy{}
	for rows.Next() {
		var p kefu.SLAPolicy
		var created, updated int64
		if err := rows.Scan(&p.ID, &p.Name, &p.Priority, &p.TeamID, &p.Channel, &p.FirstResponseMinutes, &p.NextResponseMinutes,
			&p.ResolutionMinutes, &p.WarnPercent, &p.Position, &created, &updated); err != nil {
			return nil, err
		}
		p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PutSLAPolicy inserts or replaces a policy.
func (q *Queries) PutSLAPolicy(ctx context.Context, p kefu.SLAPolicy) error {
	_, err := q.exec(ctx, `INSERT INTO sla_policies (`+slaColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, priority = excluded.priority, team_id = excluded.team_id,
		channel = excluded.channel, first_response_minutes = excluded.first_response_minutes,
		next_response_minutes = excluded.next_response_minutes, resolution_minutes = excluded.resolution_minutes,
		warn_percent = excluded.warn_percent, position = excluded.position, updated_at = excluded.updated_at`,
		p.ID, p.Name, p.Priority, p.TeamID, p.Channel, p.FirstResponseMinutes, p.NextResponseMinutes, p.ResolutionMinutes,
		p.WarnPercent, p.Position, millis(p.CreatedAt), millis(p.UpdatedAt))
	return mapError(err)
}

// DeleteSLAPolicy removes a policy; conversations under it keep their due times.
func (q *Queries) DeleteSLAPolicy(ctx context.Context, id string) error {
	res, err := q.exec(ctx, `DELETE FROM sla_policies WHERE id = ?`, id)
	return affectedOne(res, err, "SLA policy")
}

// ---- SLA clocks ----

// SetSLA writes a conversation's SLA clock. With expectFired it succeeds
// only if the fired list is still what the caller read, so that of several
// kefu processes only one records a warning or breach; it reports whether
// it wrote.
func (q *Queries) SetSLA(ctx context.Context, c kefu.Conversation, expectFired *[]string) (bool, error) {
	query := `UPDATE conversations SET sla_policy_id = ?, sla_policy_pinned = ?, first_response_due = ?, next_response_due = ?,
		resolution_due = ?, sla_fired = ?, sla_used_ms = ?, sla_running_since = ? WHERE id = ?`
	args := []any{c.SLAPolicyID, boolInt(c.SLAPolicyPinned), nullMillis(c.FirstResponseDue), nullMillis(c.NextResponseDue),
		nullMillis(c.ResolutionDue), strings.Join(c.SLAFired, ","), c.SLAUsed.Milliseconds(), nullMillis(c.SLARunningSince), c.ID}
	if expectFired != nil {
		query += ` AND sla_fired = ?`
		args = append(args, strings.Join(*expectFired, ","))
	}
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SLAClocks returns the open conversations with an SLA due time, to set
// their timers after a start.
func (q *Queries) SLAClocks(ctx context.Context) ([]kefu.Conversation, error) {
	return q.conversations(ctx, `SELECT `+conversationColumns+conversationFrom+` WHERE c.first_response_due IS NOT NULL
		OR c.next_response_due IS NOT NULL OR c.resolution_due IS NOT NULL`)
}

// SetPriority changes only a conversation's priority (SLA escalation).
func (q *Queries) SetPriority(ctx context.Context, id, priority string) error {
	_, err := q.exec(ctx, `UPDATE conversations SET priority = ? WHERE id = ?`, priority, id)
	return err
}

// ---- automation rules ----

// RuleRow is a stored rule; Definition is rules.Rule as JSON.
type RuleRow struct {
	ID         string
	Definition string
	Position   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Rules lists the rules in evaluation order.
func (q *Queries) Rules(ctx context.Context) ([]RuleRow, error) {
	rows, err := q.query(ctx, `SELECT id, definition, position, created_at, updated_at FROM rules ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RuleRow
	for rows.Next() {
		var r RuleRow
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.Definition, &r.Position, &created, &updated); err != nil {
			return nil, err
		}
		r.CreatedAt, r.UpdatedAt = fromMillis(created), fromMillis(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RulesVersion changes whenever a rule is added, changed or removed: the
// compiled rules are cached against it.
func (q *Queries) RulesVersion(ctx context.Context) (string, error) {
	var n int
	var last sql.NullInt64
	err := q.queryRow(ctx, `SELECT COUNT(*), MAX(updated_at) FROM rules`).Scan(&n, &last)
	return fmt.Sprintf("%d/%d", n, last.Int64), err
}

// PutRule inserts or replaces a rule.
func (q *Queries) PutRule(ctx context.Context, r RuleRow) error {
	_, err := q.exec(ctx, `INSERT INTO rules (id, definition, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, position = excluded.position, updated_at = excluded.updated_at`,
		r.ID, r.Definition, r.Position, millis(r.CreatedAt), millis(r.UpdatedAt))
	return err
}

// DeleteRule removes a rule.
func (q *Queries) DeleteRule(ctx context.Context, id string) error {
	res, err := q.exec(ctx, `DELETE FROM rules WHERE id = ?`, id)
	return affectedOne(res, err, "Rule")
}

// SetSLAPolicy pins a conversation to an SLA policy (a rule chose it).
func (q *Queries) SetSLAPolicy(ctx context.Context, id, policyID string) error {
	_, err := q.exec(ctx, `UPDATE conversations SET sla_policy_id = ?, sla_policy_pinned = 1 WHERE id = ?`, policyID, id)
	return err
}
