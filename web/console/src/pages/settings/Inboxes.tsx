import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Slider,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { CodeOutlined, CopyOutlined, EyeInvisibleOutlined, EyeOutlined, GlobalOutlined, LinkOutlined, RobotOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Inbox } from '../../api/types';
import CodeBlock from '../../components/CodeBlock';
import { EditModal, IntroBar, ListHeader, ListTable } from '../../components/ListPage';
import { useCopy } from '../../lib/clipboard';
import { useApiError } from '../../lib/errors';
import { requiredText } from '../../lib/formRules';
import { fmtTime } from '../../lib/format';
import { useApiList } from '../../lib/useApiList';
import { useFormSave } from '../../lib/useFormSave';
import { useDirectory } from '../../lib/useDirectory';
import { channelLabel } from '../../lib/conversations';

const PRECHAT_FIELDS = ['name', 'phone', 'order_no'];
/** The confidence the server takes when an inbox's bot_threshold is 0. */
const DEFAULT_BOT_THRESHOLD = 0.5;

const threshold = (ib: Inbox) => (ib.bot_threshold && ib.bot_threshold > 0 ? ib.bot_threshold : DEFAULT_BOT_THRESHOLD);
const DEMO_SHOP = '/demo/shop';

interface InboxForm {
  name: string;
  team_id?: string;
  greeting: string;
  offline_message: string;
  prechat_enabled: boolean;
  prechat_fields: string[];
  reopen_window_hours: number;
  bot_enabled: boolean;
  bot_threshold: number;
  survey: '' | 'csat' | 'nps' | 'both';
  survey_expiry_hours: number;
}

const SURVEYS = ['', 'csat', 'nps', 'both'] as const;

export function embedSnippet(token: string): string {
  return `<script src="${window.location.origin}/widget.js" data-website-token="${token}" defer></script>`;
}

const NODE_EXAMPLE = `// On your shop's server - never in the browser.
const crypto = require('node:crypto');

function kefuSignature(userId) {
  return crypto
    .createHmac('sha256', process.env.KEFU_IDENTITY_SECRET)
    .update(String(userId))
    .digest('hex');
}

// Render it into the page for the signed-in user:
// { user_id: user.id, name: user.name, signature: kefuSignature(user.id) }`;

const GO_EXAMPLE = `// On your shop's server - never in the browser.
import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
)

func kefuSignature(userID string) string {
	m := hmac.New(sha256.New, []byte(os.Getenv("KEFU_IDENTITY_SECRET")))
	m.Write([]byte(userID))
	return hex.EncodeToString(m.Sum(nil))
}`;

const BROWSER_EXAMPLE = `<script>
  // After widget.js, for a signed-in customer; the values come from your server.
  kefu('identify', {
    user_id: '10086',
    name: 'Zhang San',
    signature: '3f1c…9a2e' // hex(HMAC-SHA256(identity_secret, user_id))
  });
</script>`;

function SecretField({ secret }: { secret?: string }) {
  const { t } = useTranslation();
  const copy = useCopy();
  const [shown, setShown] = useState(false);
  if (!secret) return <Typography.Text type="secondary">{t('inboxes.secretHidden')}</Typography.Text>;
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input readOnly value={shown ? secret : '•'.repeat(32)} className="kf-mono" data-testid="identity-secret" />
      <Button icon={shown ? <EyeInvisibleOutlined /> : <EyeOutlined />} onClick={() => setShown(!shown)} data-testid="identity-secret-toggle">
        {shown ? t('contacts.hide') : t('contacts.reveal')}
      </Button>
      <Button icon={<CopyOutlined />} onClick={() => void copy(secret)}>
        {t('common.copy')}
      </Button>
    </Space.Compact>
  );
}

function InstallDrawer({ inbox, onClose }: { inbox: Inbox | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      title={inbox ? t('inboxes.installTitle', { name: inbox.name }) : ''}
      open={!!inbox}
      onClose={onClose}
      size={760}
      extra={
        <Button icon={<LinkOutlined />} href={DEMO_SHOP} target="_blank">
          {t('inboxes.openDemo')}
        </Button>
      }
    >
      {inbox && (
        <div className="kf-install" data-testid="inbox-install">
          <div className="kf-install-step">
            <div className="kf-install-num">1</div>
            <div className="kf-install-body">
              <Typography.Title level={5}>{t('inboxes.step1Title')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('inboxes.step1Desc')}</Typography.Paragraph>
              <CodeBlock code={embedSnippet(inbox.website_token)} testId="embed-snippet" wrap />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 13 }}>
                {t('inboxes.tokenLabel')} <Typography.Text code>{inbox.website_token}</Typography.Text>
              </Typography.Paragraph>
            </div>
          </div>
          <div className="kf-install-step">
            <div className="kf-install-num">2</div>
            <div className="kf-install-body">
              <Typography.Title level={5}>
                {t('inboxes.step2Title')} <Tag>{t('inboxes.optional')}</Tag>
              </Typography.Title>
              <Typography.Paragraph type="secondary">{t('inboxes.step2Desc')}</Typography.Paragraph>
              <div className="kf-install-label">{t('inboxes.identitySecret')}</div>
              <SecretField secret={inbox.identity_secret} />
              <Alert type="warning" showIcon style={{ margin: '12px 0' }} title={t('inboxes.secretWarn')} />
              <div className="kf-formula kf-mono">signature = hex(HMAC-SHA256(identity_secret, user_id))</div>
              <Tabs
                size="small"
                items={[
                  { key: 'node', label: 'Node.js', children: <CodeBlock code={NODE_EXAMPLE} /> },
                  { key: 'go', label: 'Go', children: <CodeBlock code={GO_EXAMPLE} /> },
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
                {t('inboxes.step2Browser')}
              </Typography.Paragraph>
              <CodeBlock code={BROWSER_EXAMPLE} />
            </div>
          </div>
          <div className="kf-install-step">
            <div className="kf-install-num">3</div>
            <div className="kf-install-body">
              <Typography.Title level={5}>{t('inboxes.step3Title')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('inboxes.step3Desc')}</Typography.Paragraph>
              <Button icon={<GlobalOutlined />} href={DEMO_SHOP} target="_blank" data-testid="demo-shop-link">
                {t('inboxes.openDemo')}
              </Button>
            </div>
          </div>
        </div>
      )}
    </Drawer>
  );
}

export default function InboxesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items, setItems, loading, reload } = useApiList<Inbox>('/inboxes', showError);
  const dir = useDirectory(showError);
  const [editing, setEditing] = useState<Inbox | 'new' | null>(null);
  const [installing, setInstalling] = useState<Inbox | null>(null);
  const [form] = Form.useForm<InboxForm>();
  const { saving, run } = useFormSave(form);
  const prechatOn = Form.useWatch('prechat_enabled', form);
  const botOn = Form.useWatch('bot_enabled', form);
  const surveyOn = !!Form.useWatch('survey', form);
  const [toggling, setToggling] = useState<string | null>(null);
  // Servers without the bot leave the fields out of an inbox: then the console does not offer them.
  const hasBot = items.some((ib) => ib.bot_enabled !== undefined);

  const toggleBot = async (ib: Inbox, on: boolean) => {
    setToggling(ib.id);
    try {
      const next = await api.patch<Inbox>(`/inboxes/${encodeURIComponent(ib.id)}`, { bot_enabled: on });
      setItems((prev) => prev.map((x) => (x.id === ib.id ? { ...x, ...(next ?? { bot_enabled: on }) } : x)));
      message.success(on ? t('inboxes.bot.turnedOn', { name: ib.name }) : t('inboxes.bot.turnedOff', { name: ib.name }));
    } catch (err) {
      showError(err);
    } finally {
      setToggling(null);
    }
  };

  const openForm = (ib: Inbox | 'new') => {
    setEditing(ib);
    form.resetFields();
    form.setFieldsValue(
      ib === 'new'
        ? {
            name: t('inboxes.defaultName'),
            team_id: undefined,
            greeting: t('inboxes.defaultGreeting'),
            offline_message: t('inboxes.defaultOffline'),
            prechat_enabled: false,
            prechat_fields: ['name', 'phone'],
            reopen_window_hours: 24,
            bot_enabled: false,
            bot_threshold: DEFAULT_BOT_THRESHOLD,
            survey: '',
            survey_expiry_hours: 0,
          }
        : {
            name: ib.name,
            team_id: ib.team_id || undefined,
            greeting: ib.greeting,
            offline_message: ib.offline_message,
            prechat_enabled: ib.prechat_enabled,
            prechat_fields: ib.prechat_fields ?? [],
            reopen_window_hours: ib.reopen_window_hours,
            bot_enabled: !!ib.bot_enabled,
            bot_threshold: threshold(ib),
            survey: ib.survey ?? '',
            survey_expiry_hours: ib.survey_expiry_hours ?? 0,
          },
    );
  };

  const save = (v: InboxForm) =>
    run(async () => {
      const { bot_enabled, bot_threshold, ...rest } = v;
      const body = {
        ...rest,
        ...(hasBot || editing === 'new' ? { bot_enabled: !!bot_enabled, bot_threshold } : {}),
        name: v.name.trim(),
        team_id: v.team_id ?? '',
        prechat_fields: v.prechat_enabled ? (v.prechat_fields ?? []) : [],
      };
      if (editing === 'new') {
        const ib = await api.post<Inbox>('/inboxes', body);
        message.success(t('inboxes.created'));
        setEditing(null);
        void reload();
        if (ib) setInstalling(ib);
      } else if (editing) {
        await api.patch<Inbox>(`/inboxes/${encodeURIComponent(editing.id)}`, body);
        message.success(t('common.saved'));
        setEditing(null);
        void reload();
      }
    });

  const columns: TableColumnsType<Inbox> = [
    {
      title: t('inboxes.name'),
      dataIndex: 'name',
      width: 220,
      render: (v: string, ib) => (
        <Space>
          <span className="kf-channel-icon">
            <GlobalOutlined />
          </span>
          <div>
            <Typography.Text strong>{v}</Typography.Text>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{channelLabel(t, ib.channel)}</div>
          </div>
        </Space>
      ),
    },
    {
      title: t('inboxes.team'),
      dataIndex: 'team_id',
      width: 140,
      render: (v: string) => dir.teamName(v) || <Typography.Text type="secondary">{t('inboxes.noTeam')}</Typography.Text>,
    },
    {
      title: t('inboxes.prechat'),
      key: 'prechat',
      width: 200,
      render: (_, ib) =>
        ib.prechat_enabled ? (
          <Space size={[4, 4]} wrap>
            {(ib.prechat_fields ?? []).map((f) => (
              <Tag key={f} bordered={false} color="blue">
                {t(`inboxes.field.${f}`)}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('inboxes.prechatOff')}</Typography.Text>
        ),
    },
    ...(hasBot
      ? ([
          {
            title: t('inboxes.bot.column'),
            key: 'bot',
            width: 170,
            render: (_, ib) => (
              <Space size={8}>
                <Switch
                  size="small"
                  checked={!!ib.bot_enabled}
                  loading={toggling === ib.id}
                  onChange={(on) => void toggleBot(ib, on)}
                  data-testid="inbox-bot-switch"
                />
                {ib.bot_enabled ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('inboxes.bot.thresholdShort', { n: threshold(ib).toFixed(2) })}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('inboxes.bot.off')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
        ] as TableColumnsType<Inbox>)
      : []),
    {
      title: t('inboxes.reopenWindow'),
      dataIndex: 'reopen_window_hours',
      width: 120,
      render: (v: number) => t('inboxes.hours', { n: v }),
    },
    {
      title: t('inboxes.websiteToken'),
      dataIndex: 'website_token',
      width: 220,
      render: (v: string) => (
        <Typography.Text className="kf-mono" style={{ fontSize: 12 }} copyable={{ text: v, tooltips: [t('common.copy'), t('common.copied')] }}>
          {v}
        </Typography.Text>
      ),
    },
    { title: t('inboxes.createdAt'), dataIndex: 'created_at', width: 170, render: (v: string) => fmtTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_, ib) => (
        <Space size={4}>
          <Button type="link" size="small" icon={<CodeOutlined />} onClick={() => setInstalling(ib)} data-testid="inbox-install-open">
            {t('inboxes.install')}
          </Button>
          <Button type="link" size="small" onClick={() => openForm(ib)} data-testid="inbox-edit">
            {t('common.edit')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <ListHeader
        title={t('inboxes.title')}
        sub={t('inboxes.sub')}
        create={{ label: t('inboxes.create'), testId: 'inboxes-create', onClick: () => openForm('new') }}
        extra={
          <Button icon={<LinkOutlined />} href={DEMO_SHOP} target="_blank">
            {t('inboxes.openDemo')}
          </Button>
        }
      />
      <ListTable<Inbox>
        testId="inboxes-table"
        columns={columns}
        items={items}
        loading={loading}
        scrollX={1100}
        empty={t('inboxes.empty')}
        emptyCreate={{ label: t('inboxes.create'), onClick: () => openForm('new') }}
        intro={<IntroBar text={t('inboxes.intro')} onRefresh={reload} />}
      />

      <EditModal
        open={!!editing}
        isNew={editing === 'new'}
        createTitle={t('inboxes.create')}
        editTitle={t('inboxes.editTitle')}
        onClose={() => setEditing(null)}
        onSave={() => form.submit()}
        saving={saving}
        saveTestId="inbox-form-submit"
        size={640}
      >
        <Form<InboxForm> form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ marginTop: 16 }}>
          <Row gutter={16}>
            <Col span={14}>
              <Form.Item name="name" label={t('inboxes.name')} rules={requiredText(t, 60)}>
                <Input data-testid="inbox-form-name" />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item name="team_id" label={t('inboxes.team')} extra={t('inboxes.teamHelp')}>
                <Select allowClear placeholder={t('inboxes.noTeam')} options={dir.teams.map((tm) => ({ value: tm.id, label: tm.name }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="greeting" label={t('inboxes.greeting')} extra={t('inboxes.greetingHelp')}>
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
          <Form.Item name="offline_message" label={t('inboxes.offlineMessage')} extra={t('inboxes.offlineHelp')}>
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
          <Row gutter={16}>
            <Col span={14}>
              <Form.Item name="prechat_enabled" label={t('inboxes.prechat')} valuePropName="checked" extra={t('inboxes.prechatHelp')}>
                <Switch data-testid="inbox-form-prechat" />
              </Form.Item>
              {prechatOn && (
                <Form.Item name="prechat_fields" label={t('inboxes.prechatFields')} rules={[{ required: true, type: 'array', min: 1, message: t('inboxes.prechatPick') }]}>
                  <Checkbox.Group options={PRECHAT_FIELDS.map((f) => ({ value: f, label: t(`inboxes.field.${f}`) }))} />
                </Form.Item>
              )}
            </Col>
            <Col span={10}>
              <Form.Item
                name="reopen_window_hours"
                label={t('inboxes.reopenWindow')}
                extra={t('inboxes.reopenHelp')}
                rules={[{ required: true, type: 'integer', min: 0, max: 720, message: t('validation.range', { min: 0, max: 720 }) }]}
              >
                <InputNumber min={0} max={720} precision={0} suffix={t('units.hours')} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={14}>
              <Form.Item name="survey" label={t('inboxes.survey.label')} extra={t('inboxes.survey.help')}>
                <Select
                  data-testid="inbox-form-survey"
                  options={SURVEYS.map((v) => ({ value: v, label: t(`inboxes.survey.kind.${v || 'none'}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item
                name="survey_expiry_hours"
                label={t('inboxes.survey.expiry')}
                extra={t('inboxes.survey.expiryHelp')}
                rules={[{ required: true, type: 'integer', min: 0, max: 720, message: t('validation.range', { min: 0, max: 720 }) }]}
              >
                <InputNumber min={0} max={720} precision={0} suffix={t('units.hours')} disabled={!surveyOn} style={{ width: '100%' }} data-testid="inbox-form-survey-expiry" />
              </Form.Item>
            </Col>
          </Row>
          {(hasBot || editing === 'new') && (
            <div className="kf-form-section" data-testid="inbox-form-bot-section">
              <div className="kf-form-section-title">
                <RobotOutlined /> {t('inboxes.bot.title')}
              </div>
              <Row gutter={16}>
                <Col span={8}>
                  <Form.Item name="bot_enabled" label={t('inboxes.bot.enabled')} valuePropName="checked" extra={t('inboxes.bot.enabledHelp')}>
                    <Switch data-testid="inbox-form-bot" />
                  </Form.Item>
                </Col>
                <Col span={16}>
                  <Form.Item label={t('inboxes.bot.threshold')} extra={t('inboxes.bot.thresholdHelp')}>
                    <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
                      <Form.Item name="bot_threshold" noStyle>
                        <Slider min={0.05} max={1} step={0.05} disabled={!botOn} style={{ flex: 1 }} data-testid="inbox-form-bot-threshold" />
                      </Form.Item>
                      <Form.Item
                        name="bot_threshold"
                        noStyle
                        rules={[{ required: true, type: 'number', min: 0, max: 1, message: t('validation.range', { min: 0, max: 1 }) }]}
                      >
                        <InputNumber min={0} max={1} step={0.05} precision={2} disabled={!botOn} style={{ width: 84 }} />
                      </Form.Item>
                    </div>
                  </Form.Item>
                </Col>
              </Row>
            </div>
          )}
        </Form>
      </EditModal>

      <InstallDrawer inbox={installing} onClose={() => setInstalling(null)} />
    </>
  );
}
