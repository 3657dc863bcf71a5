// Tasks other departments owe on a conversation (kefu.Task): departments,
// statuses, their labels and colours, and the due countdown. Labels live under "tasks.*".
import { useState } from 'react';
import { App, Button, Dropdown, Tag, Tooltip } from 'antd';
import { CheckOutlined, ClockCircleOutlined, DownOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Task } from '../api/types';
import { useApiError } from './errors';
import { fmtTime } from './format';
import { countdown } from './returns';
import { useNow } from './useNow';

export const DEPARTMENTS = ['warehouse', 'logistics', 'finance', 'quality', 'service', 'other'];
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'];
/** Statuses after which a task no longer counts down. */
export const CLOSED_TASK_STATUSES = ['done', 'cancelled'];

const STATUS_COLOR: Record<string, string> = { open: 'blue', in_progress: 'gold', done: 'success', cancelled: 'default' };

export const departmentLabel = (t: TFunction, d: string) => (DEPARTMENTS.includes(d) ? t(`tasks.department.${d}`) : d);
export const taskStatusLabel = (t: TFunction, s: string) => (TASK_STATUSES.includes(s) ? t(`tasks.status.${s}`) : s);

export function TaskStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="task-status" data-status={status}>
      {taskStatusLabel(t, status)}
    </Tag>
  );
}

/** "due in 3h 20m" / red "overdue 1d 2h" for an open task's due time; nothing once done or without a due time. */
export function TaskDue({ task }: { task: Task }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  if (!task.due_at || CLOSED_TASK_STATUSES.includes(task.status)) return null;
  const c = countdown(t, task.due_at, now);
  return (
    <Tooltip title={t('tasks.dueAt', { time: fmtTime(task.due_at) })}>
      <Tag color={c.past ? 'red' : 'default'} bordered={!c.past} icon={<ClockCircleOutlined />} style={{ marginInlineEnd: 0 }} data-testid="task-due" data-overdue={c.past || undefined}>
        {c.text}
      </Tag>
    </Tooltip>
  );
}

export type TaskPatch = Partial<Pick<Task, 'status' | 'note' | 'owner_id' | 'due_at' | 'title' | 'department'>>;

/** PATCH /tasks/{id}. */
export const updateTask = (id: string, body: TaskPatch) => api.patch<Task>(`/tasks/${encodeURIComponent(id)}`, body);

/** A task's quick "done" button and a menu of its other statuses; onChange gets the saved task. */
export function TaskActions({ task, onChange }: { task: Task; onChange: (t: Task) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const [busy, setBusy] = useState('');
  const setStatus = async (status: Task['status']) => {
    setBusy(status);
    try {
      const next = await updateTask(task.id, { status });
      onChange(next);
      message.success(t('tasks.statusSaved', { status: taskStatusLabel(t, status) }));
    } catch (err) {
      showError(err);
    } finally {
      setBusy('');
    }
  };
  const others = TASK_STATUSES.filter((s) => s !== task.status && s !== 'done');
  return (
    <span className="kf-task-actions">
      {task.status !== 'done' && task.status !== 'cancelled' && (
        <Button size="small" type="primary" ghost icon={<CheckOutlined />} loading={busy === 'done'} onClick={() => void setStatus('done')} data-testid="task-done">
          {t('tasks.markDone')}
        </Button>
      )}
      <Dropdown
        trigger={['click']}
        menu={{
          items: others.map((s) => ({ key: s, label: t(`tasks.to.${s}`) })),
          onClick: ({ key }) => void setStatus(key as Task['status']),
        }}
      >
        <Button size="small" loading={!!busy && busy !== 'done'} data-testid="task-status-menu">
          {t('tasks.changeStatus')} <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
    </span>
  );
}
