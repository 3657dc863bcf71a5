import { useCallback, useEffect, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { App, Button, Card, Col, Empty, Form, Input, Modal, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { InfoCircleOutlined, ReloadOutlined, TagOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Contact, ListResponse } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import CreateButton from '../components/CreateButton';
import LoadMoreFooter from '../components/LoadMoreFooter';
import PageHeader from '../components/PageHeader';
import { useApiError } from '../lib/errors';
import { fmtTime } from '../lib/format';
import { useCursorList } from '../lib/useCursorList';

const PAGE = 20;

interface ContactForm {
  name?: string;
  phone?: string;
  email?: string;
  address?: string;
  wechat_openid?: string;
  shop_user_id?: string;
  tags?: string[];
}

/** The API's search parameter for what the user typed: email if it has an @, phone if it is digits, else the full name. */
export function searchParam(q: string): { name?: string; phone?: string; email?: string } {
  const v = q.trim();
  if (!v) return {};
  if (v.includes('@')) return { email: v };
  if (/^[+\d\s-]+$/.test(v)) return { phone: v.replace(/[\s-]/g, '') };
  return { name: v };
}

export default function ContactsPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const [input, setInput] = useState(q);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<ContactForm>();

  const fetchPage = useCallback(
    (after?: string) => api.get<ListResponse<Contact>>('/contacts', { ...searchParam(q), tag, cursor: after, limit: PAGE }),
    [q, tag],
  );
  const list = useCursorList(fetchPage, showError);
  const { items, loading, reset } = list;

  // Each new search (or tag filter) puts its query back in the box.
  useEffect(() => {
    setInput(q);
  }, [q, tag]);

  const search = (value: string) => {
    const next = new URLSearchParams(params);
    if (value.trim()) next.set('q', value.trim());
    else next.delete('q');
    setParams(next, { replace: true });
  };

  const setTag = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('tag', value);
    else next.delete('tag');
    setParams(next, { replace: true });
  };

  const create = async (v: ContactForm) => {
    setSaving(true);
    try {
      const body = Object.fromEntries(
        Object.entries(v).map(([k, val]) => [k, typeof val === 'string' ? val.trim() : val]),
      ) as ContactForm;
      body.tags = v.tags ?? [];
      const c = await api.post<Contact>('/contacts', body);
      message.success(t('contacts.created'));
      setCreating(false);
      if (c?.id) navigate(`/contacts/${encodeURIComponent(c.id)}`);
      else void reset();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const dash = (v: string) => (v ? v : <Typography.Text type="secondary">—</Typography.Text>);

  const columns: TableColumnsType<Contact> = [
    {
      title: t('contacts.name'),
      dataIndex: 'name',
      width: 160,
      render: (v: string, c) => (
        <Link to={`/contacts/${encodeURIComponent(c.id)}`} onClick={(e) => e.stopPropagation()}>
          {v || t('contacts.unnamed')}
        </Link>
      ),
    },
    { title: t('contacts.phone'), dataIndex: 'phone', width: 160, render: (v: string) => <span className="kf-mono">{dash(v)}</span> },
    { title: t('contacts.email'), dataIndex: 'email', ellipsis: true, render: dash },
    {
      title: t('contacts.tags'),
      dataIndex: 'tags',
      render: (tags: string[] | null) =>
        tags?.length ? (
          <Space size={[4, 4]} wrap>
            {tags.map((tg) => (
              <Tag
                key={tg}
                color="blue"
                style={{ cursor: 'pointer', marginInlineEnd: 0 }}
                onClick={(e) => {
                  e.stopPropagation();
                  setTag(tg);
                }}
              >
                {tg}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('contacts.createdAt'), dataIndex: 'created_at', width: 180, render: (v: string) => fmtTime(v) },
  ];

  const filtered = !!q || !!tag;

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        sub={t('contacts.sub')}
        extra={
          has('contacts.edit') && (
            <CreateButton testId="contacts-create" onClick={() => setCreating(true)}>
              {t('contacts.create')}
            </CreateButton>
          )
        }
      />
      <Card variant="borderless">
        <div style={{ display: 'flex', gap: 12, alignItems: 'center', marginBottom: 16, flexWrap: 'wrap' }}>
          <Input.Search
            allowClear
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onSearch={search}
            placeholder={t('contacts.searchPlaceholder')}
            enterButton={t('common.search')}
            style={{ width: 380 }}
            data-testid="contacts-search"
          />
          <Tooltip title={t('contacts.searchHelp')}>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              <InfoCircleOutlined /> {t('contacts.exactMatch')}
            </Typography.Text>
          </Tooltip>
          {tag && (
            <Tag closable color="blue" icon={<TagOutlined />} onClose={() => setTag('')}>
              {t('contacts.tagFilter', { tag })}
            </Tag>
          )}
          <div style={{ flex: 1 }} />
          <Button icon={<ReloadOutlined />} onClick={() => void reset()}>
            {t('common.refresh')}
          </Button>
        </div>
        <Table<Contact>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={loading}
          pagination={false}
          rowClassName={() => 'kf-table-row-click'}
          onRow={(c) =>
            ({
              'data-testid': 'contact-row',
              onClick: () => navigate(`/contacts/${encodeURIComponent(c.id)}`),
            }) as HTMLAttributes<HTMLElement>
          }
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={filtered ? t('contacts.noMatch') : t('contacts.empty')}
                style={{ padding: '24px 0' }}
              />
            ),
          }}
          scroll={{ x: 900 }}
        />
        <LoadMoreFooter list={list} testId="contacts-load-more" />
      </Card>

      <Modal
        title={t('contacts.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={saving}
        width={640}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('contacts.createHint')}
        </Typography.Paragraph>
        <Form<ContactForm> form={form} layout="vertical" onFinish={(v) => void create(v)} preserve={false}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="name" label={t('contacts.name')}>
                <Input autoComplete="off" data-testid="contact-form-name" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="phone" label={t('contacts.phone')}>
                <Input autoComplete="off" placeholder="13800138000" data-testid="contact-form-phone" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="email" label={t('contacts.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
                <Input autoComplete="off" data-testid="contact-form-email" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="shop_user_id" label={t('contacts.shopUserId')}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="address" label={t('contacts.address')}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="wechat_openid" label={t('contacts.wechat')}>
                <Input autoComplete="off" className="kf-mono" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="tags" label={t('contacts.tags')} extra={t('contacts.tagsHelp')}>
                <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </>
  );
}
