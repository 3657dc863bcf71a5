import { useEffect, useMemo, useState } from 'react';
import { Alert, Avatar, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../api/types';
import { useApiError } from '../../lib/errors';
import { roleLabel } from '../../lib/labels';
import type { Directory } from '../../lib/useDirectory';

export interface TransferValues {
  assignee_id?: string;
  team_id?: string;
  note: string;
}

interface Props {
  open: boolean;
  conv: Conversation;
  dir: Directory;
  meId: string;
  onClose: () => void;
  onSubmit: (v: TransferValues) => Promise<unknown>;
}

/** Transfer a conversation to an agent and/or a team; the note is required and is shown to whoever takes over. */
export default function TransferModal({ open, conv, dir, meId, onClose, onSubmit }: Props) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [form] = Form.useForm<TransferValues>();
  const [saving, setSaving] = useState(false);
  const teamId = Form.useWatch('team_id', form);

  useEffect(() => {
    if (open) form.setFieldsValue({ assignee_id: undefined, team_id: conv.team_id || undefined, note: '' });
  }, [open, conv.team_id, form]);

  const agentOptions = useMemo(
    () =>
      dir.agents
        .filter((a) => !teamId || (a.team_ids ?? []).includes(teamId))
        .sort((a, b) => Number(b.online) - Number(a.online))
        .map((a) => ({
          value: a.id,
          search: a.name,
          label: (
            <Space size={8}>
              <Avatar size={20} style={{ background: '#1677ff', fontSize: 11 }}>
                {a.name.slice(0, 1)}
              </Avatar>
              <span>{a.name}</span>
              {a.id === meId && <Typography.Text type="secondary">{t('users.you')}</Typography.Text>}
              <span className={`kf-online${a.online ? ' on' : ''}`} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {a.online ? t('inbox.online') : t('inbox.offline')} · {roleLabel(t, a.role)}
              </Typography.Text>
            </Space>
          ),
        })),
    [dir.agents, teamId, meId, t],
  );

  const submit = async (v: TransferValues) => {
    setSaving(true);
    try {
      await onSubmit({ ...v, note: v.note.trim() });
      onClose();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={t('inbox.transfer.title')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('inbox.transfer.submit')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'transfer-submit' } as Record<string, string>}
      width={520}
      forceRender
    >
      <Alert
        type="info"
        showIcon
        style={{ margin: '12px 0 16px' }}
        title={
          conv.assignee_name
            ? t('inbox.transfer.current', { name: conv.assignee_name, team: conv.team_name || '—' })
            : t('inbox.transfer.currentNone', { team: conv.team_name || '—' })
        }
      />
      <Form<TransferValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="team_id" label={t('inbox.transfer.team')}>
          <Select
            allowClear
            placeholder={t('inbox.transfer.teamPlaceholder')}
            options={dir.teams.map((tm) => ({ value: tm.id, label: tm.name }))}
            onChange={() => form.setFieldValue('assignee_id', undefined)}
            data-testid="transfer-team"
          />
        </Form.Item>
        <Form.Item
          name="assignee_id"
          label={t('inbox.transfer.agent')}
          dependencies={['team_id']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                v || getFieldValue('team_id') ? Promise.resolve() : Promise.reject(new Error(t('inbox.transfer.pickOne'))),
            }),
          ]}
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'search' }}
            placeholder={t('inbox.transfer.agentPlaceholder')}
            options={agentOptions}
            notFoundContent={t('inbox.transfer.noAgents')}
            data-testid="transfer-agent"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('inbox.transfer.note')}
          extra={t('inbox.transfer.noteHelp')}
          rules={[{ required: true, whitespace: true, message: t('inbox.transfer.noteRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('inbox.transfer.notePlaceholder')}
            data-testid="transfer-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
