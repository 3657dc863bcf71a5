import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, AutoComplete, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AuditEntry, ListResponse, User, VerifyResult } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import LoadMoreFooter from '../components/LoadMoreFooter';
import PageHeader from '../components/PageHeader';
import { useApiError } from '../lib/errors';
import { fmtTime } from '../lib/format';
import { actionLabel } from '../lib/labels';
import { KNOWN_ACTIONS } from '../lib/permissions';
import { useCursorList } from '../lib/useCursorList';

const PAGE = 50;
const TARGET_TYPES = ['user', 'role', 'contact', 'session', 'api_token', 'settings', 'notice', 'backup', 'vault'];

interface Filters {
  actor_id?: string;
  action?: string;
  target_type?: string;
  target_id?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function actionColor(action: string): string {
  if (/failed|lockout|anomalous|delete|revoke|disable/.test(action)) return 'volcano';
  if (action.startsWith('pii.') || action.startsWith('data.')) return 'gold';
  if (action.startsWith('auth.')) return 'blue';
  if (action.startsWith('user.') || action.startsWith('role.') || action.startsWith('settings.')) return 'purple';
  return 'default';
}

export default function AuditPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { modal } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [users, setUsers] = useState<User[] | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const canListUsers = has('users.manage');

  useEffect(() => {
    if (!canListUsers) return;
    api
      .get<ListResponse<User>>('/users')
      .then((r) => setUsers(r.items ?? []))
      .catch(() => setUsers(null));
  }, [canListUsers]);

  const fetchPage = useCallback(
    (after?: string) => {
      const [since, until] = filters.range ?? [];
      return api.get<ListResponse<AuditEntry>>('/audit', {
        actor_id: filters.actor_id?.trim(),
        action: filters.action,
        target_type: filters.target_type?.trim(),
        target_id: filters.target_id?.trim(),
        since: since ? since.toISOString() : undefined,
        until: until ? until.toISOString() : undefined,
        cursor: after,
        limit: PAGE,
      });
    },
    [filters],
  );
  const list = useCursorList(fetchPage, showError);
  const { items, loading, reset } = list;

  const runVerify = async () => {
    setVerifying(true);
    try {
      const res = await api.post<VerifyResult>('/audit/verify');
      setVerify(res);
      if (!res.ok) {
        modal.error({
          title: t('audit.verifyBrokenTitle'),
          content: t('audit.verifyBroken', { seq: res.broken_seq ?? '?', reason: res.reason || t('audit.noReason'), checked: res.checked }),
        });
      }
    } catch (err) {
      showError(err);
    } finally {
      setVerifying(false);
    }
  };

  const actionOptions = useMemo(
    () => KNOWN_ACTIONS.map((a) => ({ value: a, label: `${actionLabel(t, a)} (${a})` })),
    [t],
  );

  const userOptions = useMemo(
    () => (users ?? []).map((u) => ({ value: u.id, label: `${u.name || u.email} · ${u.email}` })),
    [users],
  );

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.seq'),
      dataIndex: 'seq',
      width: 80,
      render: (v: number) => <Typography.Text type="secondary" className="kf-mono">#{v}</Typography.Text>,
    },
    { title: t('audit.time'), dataIndex: 'at', width: 180, render: (v: string) => fmtTime(v) },
    {
      title: t('audit.actor'),
      dataIndex: 'actor_name',
      width: 160,
      ellipsis: true,
      render: (name: string, e) =>
        name || e.actor_id ? (
          <Tooltip title={e.actor_id}>{name || e.actor_id}</Tooltip>
        ) : (
          <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>
        ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 200,
      render: (a: string) => (
        <Tooltip title={a}>
          <Tag color={actionColor(a)}>{actionLabel(t, a)}</Tag>
        </Tooltip>
      ),
    },
    {
      title: t('audit.target'),
      key: 'target',
      ellipsis: true,
      render: (_, e) =>
        e.target_type || e.target_id ? (
          <span>
            {e.target_type && <Typography.Text type="secondary">{e.target_type}</Typography.Text>}
            {e.target_type && e.target_id && ' · '}
            {e.target_id && <span className="kf-mono" style={{ fontSize: 12 }}>{e.target_id}</span>}
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 140, render: (v: string) => <span className="kf-mono">{v || '—'}</span> },
  ];

  const expanded = (e: AuditEntry) => (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 16, padding: '4px 8px' }}>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('audit.detail')}
        </Typography.Text>
        <pre className="kf-json kf-mono">{JSON.stringify(e.detail ?? {}, null, 2)}</pre>
      </div>
      <Descriptions column={1} size="small" styles={{ label: { width: 90 } }} style={{ marginTop: 20 }}>
        <Descriptions.Item label={t('audit.entryId')}>
          <span className="kf-mono" style={{ fontSize: 12 }}>{e.id}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.action')}>
          <span className="kf-mono" style={{ fontSize: 12 }}>{e.action}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.prevHash')}>
          <span className="kf-mono" style={{ fontSize: 12, wordBreak: 'break-all' }}>{e.prev_hash || '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.hash')}>
          <span className="kf-mono" style={{ fontSize: 12, wordBreak: 'break-all' }}>{e.hash}</span>
        </Descriptions.Item>
      </Descriptions>
    </div>
  );

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        sub={t('audit.sub')}
        extra={
          <Button icon={<SafetyOutlined />} loading={verifying} onClick={() => void runVerify()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        }
      />
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          type={verify.ok ? 'success' : 'error'}
          showIcon
          icon={verify.ok ? <CheckCircleFilled /> : <CloseCircleFilled />}
          title={verify.ok ? t('audit.verifyOk', { checked: verify.checked }) : t('audit.verifyBrokenTitle')}
          description={
            verify.ok
              ? t('audit.verifyOkDesc')
              : t('audit.verifyBroken', { seq: verify.broken_seq ?? '?', reason: verify.reason || t('audit.noReason'), checked: verify.checked })
          }
          closable={{ onClose: () => setVerify(null) }}
          data-testid="audit-verify-result"
        />
      )}
      <Card variant="borderless">
        <Form<Filters>
          form={form}
          layout="inline"
          onFinish={(v) => setFilters({ ...v })}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="actor_id" label={t('audit.actor')}>
            {users ? (
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={userOptions} placeholder={t('audit.anyActor')} style={{ width: 220 }} />
            ) : (
              <Input allowClear placeholder={t('audit.actorIdPlaceholder')} style={{ width: 200 }} />
            )}
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={actionOptions}
              placeholder={t('audit.anyAction')}
              style={{ width: 260 }}
              popupMatchSelectWidth={320}
            />
          </Form.Item>
          <Form.Item name="target_type" label={t('audit.targetType')}>
            <AutoComplete
              allowClear
              options={TARGET_TYPES.map((v) => ({ value: v }))}
              placeholder={t('audit.anyTarget')}
              style={{ width: 150 }}
              showSearch={{ filterOption: (input, opt) => (opt?.value ?? '').toString().includes(input) }}
            />
          </Form.Item>
          <Form.Item name="target_id" label={t('audit.targetId')}>
            <Input allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="range" label={t('audit.range')}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                }}
              >
                {t('common.reset')}
              </Button>
              <Tooltip title={t('common.refresh')}>
                <Button icon={<ReloadOutlined />} onClick={() => void reset()} />
              </Tooltip>
            </Space>
          </Form.Item>
        </Form>
        <div data-testid="audit-table">
          <Table<AuditEntry>
            rowKey={(e) => e.id || String(e.seq)}
            columns={columns}
            dataSource={items}
            loading={loading}
            pagination={false}
            size="middle"
            expandable={{ expandedRowRender: expanded, expandRowByClick: true }}
            scroll={{ x: 1000 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} style={{ padding: '24px 0' }} /> }}
          />
        </div>
        <LoadMoreFooter list={list} testId="audit-load-more" />
      </Card>
    </>
  );
}
