import { useEffect, useRef, useState } from 'react';
import { App, Button, Col, DatePicker, Form, Input, Modal, Row, Select, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, UserOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Agent, Conversation, Task } from '../../api/types';
import { useApiError } from '../../lib/errors';
import { requiredText } from '../../lib/formRules';
import { DEPARTMENTS, departmentLabel, TaskActions, TaskDue, TaskStatusTag } from '../../lib/tasks';
import { useApiList } from '../../lib/useApiList';
import { Section } from './SidePanelParts';

const quiet = () => {};

interface TaskForm {
  department: string;
  title: string;
  note: string;
  owner_id?: string;
  due_at?: Dayjs | null;
}

interface Props {
  conv: Conversation;
  /** Changes when the timeline records a task created or updated: reload. */
  tick: number;
  canReply: boolean;
}

/** Work other departments owe on this conversation: open a task, see its owner and due countdown, mark it done. */
export default function TasksPanel({ conv, tick, canReply }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const tasks = useApiList<Task>(`/conversations/${encodeURIComponent(conv.id)}/tasks`, quiet);
  const agents = useApiList<Agent>('/agents', quiet, canReply);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<TaskForm>();
  const seenTick = useRef(tick);
  const reload = tasks.reload;
  useEffect(() => {
    if (seenTick.current === tick) return;
    seenTick.current = tick;
    void reload();
  }, [tick, reload]);

  const replace = (next: Task) => tasks.setItems((prev) => prev.map((x) => (x.id === next.id ? next : x)));

  const open = () => {
    form.resetFields();
    form.setFieldsValue({ department: 'warehouse', title: '', note: '', owner_id: undefined, due_at: dayjs().add(1, 'day').hour(18).minute(0).second(0) });
    setCreating(true);
  };

  const create = async (v: TaskForm) => {
    setSaving(true);
    try {
      const task = await api.post<Task>(`/conversations/${encodeURIComponent(conv.id)}/tasks`, {
        department: v.department,
        title: v.title.trim(),
        note: v.note?.trim() ?? '',
        owner_id: v.owner_id ?? '',
        ...(v.due_at ? { due_at: v.due_at.toISOString() } : {}),
      });
      tasks.setItems((prev) => [...prev.filter((x) => x.id !== task.id), task]);
      message.success(t('tasks.created'));
      setCreating(false);
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const openCount = tasks.items.filter((x) => x.status === 'open' || x.status === 'in_progress').length;

  return (
    <>
      <Section
        title={t('tasks.panelTitle', { n: openCount })}
        testid="tasks-panel"
        extra={
          canReply && (
            <Tooltip title={t('tasks.create')}>
              <Button type="text" size="small" icon={<PlusOutlined />} onClick={open} aria-label={t('tasks.create')} data-testid="task-create" />
            </Tooltip>
          )
        }
      >
        {tasks.loading && tasks.items.length === 0 ? (
          <Skeleton active title={false} paragraph={{ rows: 2 }} />
        ) : tasks.items.length === 0 ? (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('tasks.none')}
          </Typography.Text>
        ) : (
          tasks.items.map((task) => <TaskCard key={task.id} task={task} onChange={replace} />)
        )}
      </Section>

      <Modal
        title={t('tasks.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'task-form-submit' } as Record<string, string>}
        width={520}
        forceRender
      >
        <Form<TaskForm> form={form} layout="vertical" onFinish={(v) => void create(v)} style={{ marginTop: 16 }}>
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item name="department" label={t('tasks.departmentLabel')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select data-testid="task-form-department" options={DEPARTMENTS.map((d) => ({ value: d, label: departmentLabel(t, d) }))} />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item name="owner_id" label={t('tasks.owner')} extra={t('tasks.ownerHelp')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('tasks.noOwner')}
                  loading={agents.loading}
                  data-testid="task-form-owner"
                  options={agents.items.map((a) => ({ value: a.id, label: a.name }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="title" label={t('tasks.title')} rules={requiredText(t, 200)}>
            <Input placeholder={t('tasks.titlePlaceholder')} data-testid="task-form-title" />
          </Form.Item>
          <Form.Item name="note" label={t('tasks.note')} rules={[{ max: 2000, message: t('validation.maxLength', { n: 2000 }) }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item name="due_at" label={t('tasks.due')}>
            <DatePicker
              showTime={{ format: 'HH:mm', minuteStep: 5 }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              style={{ width: '100%' }}
              needConfirm={false}
              presets={[
                { label: t('tasks.preset.hours', { n: 4 }), value: () => dayjs().add(4, 'hour').second(0) },
                { label: t('tasks.preset.tomorrow'), value: () => dayjs().add(1, 'day').hour(18).minute(0).second(0) },
                { label: t('tasks.preset.days', { n: 3 }), value: () => dayjs().add(3, 'day').hour(18).minute(0).second(0) },
              ]}
              data-testid="task-form-due"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** One task on the side panel. */
function TaskCard({ task, onChange }: { task: Task; onChange: (t: Task) => void }) {
  const { t } = useTranslation();
  const closed = task.status === 'done' || task.status === 'cancelled';
  return (
    <div className={`kf-task${closed ? ' closed' : ''}`} data-testid="task-card" data-status={task.status}>
      <div className="kf-task-head">
        <Tag bordered={false} color="purple" style={{ marginInlineEnd: 0 }}>
          {departmentLabel(t, task.department)}
        </Tag>
        <span className="kf-task-title">{task.title}</span>
        <TaskStatusTag status={task.status} />
      </div>
      {task.note && <div className="kf-task-note">{task.note}</div>}
      <div className="kf-task-meta">
        <span>
          <UserOutlined /> {task.owner_name || task.owner_id || t('tasks.noOwner')}
        </span>
        <TaskDue task={task} />
      </div>
      <TaskActions task={task} onChange={onChange} />
    </div>
  );
}
