import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  TimePicker,
  Typography,
  Upload,
} from 'antd';
import type { FormInstance, TableColumnsType, UploadProps } from 'antd';
import { DeleteOutlined, ImportOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { BusinessCalendar, CalendarDay, Shift } from '../../api/types';
import CodeBlock from '../../components/CodeBlock';
import { EditDrawer, ListHeader, ListTable, RowActions } from '../../components/ListPage';
import { errorText, useApiError } from '../../lib/errors';
import { fmtTime } from '../../lib/format';
import { WEEKDAYS } from '../../lib/rules';
import { useApiList } from '../../lib/useApiList';
import { useFormSave } from '../../lib/useFormSave';
import { useRemove } from '../../lib/useRemove';

interface ShiftForm {
  start?: Dayjs | null;
  end?: Dayjs | null;
}

interface DayForm {
  date?: Dayjs | null;
  name: string;
  shifts?: Shift[];
}

interface CalendarForm {
  name: string;
  is_default: boolean;
  time_zone: string;
  weekly: Record<string, ShiftForm[]>;
  holidays: DayForm[];
  workdays: DayForm[];
}

const DEFAULT_ZONE = 'Asia/Shanghai';

// TimePicker has no 24:00: the end of the day shows as 23:59 and is saved back as 24:00.
function toTime(s: string, end: boolean): Dayjs | null {
  const m = /^(\d\d):(\d\d)$/.exec(s);
  if (!m) return null;
  const [h, min] = end && s === '24:00' ? [23, 59] : [Number(m[1]), Number(m[2])];
  return dayjs().hour(h).minute(min).second(0).millisecond(0);
}

function fromTime(d: Dayjs | null | undefined, end: boolean): string {
  if (!d) return '';
  const s = d.format('HH:mm');
  return end && s === '23:59' ? '24:00' : s;
}

function toForm(c: BusinessCalendar | null): CalendarForm {
  const weekly: Record<string, ShiftForm[]> = {};
  for (const day of WEEKDAYS) {
    const shifts = c ? (c.weekly?.[day] ?? []) : ['saturday', 'sunday'].includes(day) ? [] : [{ start: '09:00', end: '18:00' }];
    weekly[day] = shifts.map((s) => ({ start: toTime(s.start, false), end: toTime(s.end, true) }));
  }
  const days = (list: CalendarDay[] | null | undefined): DayForm[] =>
    (list ?? []).map((d) => ({ date: dayjs(d.date, 'YYYY-MM-DD'), name: d.name, shifts: d.shifts }));
  return {
    name: c?.name ?? '',
    is_default: c?.is_default ?? false,
    time_zone: c?.time_zone || DEFAULT_ZONE,
    weekly,
    holidays: days(c?.holidays),
    workdays: days(c?.workdays),
  };
}

function fromForm(v: CalendarForm) {
  const weekly: Record<string, Shift[]> = {};
  for (const day of WEEKDAYS) {
    weekly[day] = (v.weekly?.[day] ?? []).map((s) => ({ start: fromTime(s.start, false), end: fromTime(s.end, true) }));
  }
  const days = (list: DayForm[] | undefined): CalendarDay[] =>
    (list ?? []).map((d) => ({ date: d.date ? d.date.format('YYYY-MM-DD') : '', name: (d.name ?? '').trim(), ...(d.shifts?.length ? { shifts: d.shifts } : {}) }));
  return {
    name: (v.name ?? '').trim(),
    is_default: !!v.is_default,
    time_zone: v.time_zone || DEFAULT_ZONE,
    weekly,
    holidays: days(v.holidays),
    workdays: days(v.workdays),
  };
}

/** The shifts of one weekday: rows of start–end pickers, added and removed. */
function WeekdayShifts({ day }: { day: string }) {
  const { t } = useTranslation();
  return (
    <Form.List name={['weekly', day]}>
      {(fields, { add, remove }) => (
        <div className="kf-bh-day" data-testid={`bh-day-${day}`}>
          <div className="kf-bh-day-name">{t(`rules.weekday.${day}`)}</div>
          <div className="kf-bh-shifts">
            {fields.length === 0 && (
              <Tag bordered={false} className="kf-bh-closed">
                {t('bh.closed')}
              </Tag>
            )}
            {fields.map((f) => (
              <Space key={f.key} size={4} align="start" className="kf-bh-shift">
                <Form.Item name={[f.name, 'start']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 0 }}>
                  <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} placeholder={t('bh.start')} style={{ width: 96 }} />
                </Form.Item>
                <span className="kf-bh-dash">–</span>
                <Form.Item name={[f.name, 'end']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 0 }}>
                  <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} placeholder={t('bh.end')} style={{ width: 96 }} />
                </Form.Item>
                <Button type="text" size="small" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('bh.removeShift')} style={{ marginTop: 4 }} />
              </Space>
            ))}
          </div>
          <Button
            size="small"
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add(fields.length ? { start: null, end: null } : { start: toTime('09:00', false), end: toTime('18:00', true) })}
            data-testid={`bh-add-${day}`}
          >
            {t('bh.addShift')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** Holidays or make-up working days: a date and a name per row. */
function DaysTable({ name, hint, testId }: { name: 'holidays' | 'workdays'; hint: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div data-testid={testId}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {hint}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="key"
            pagination={fields.length > 12 ? { pageSize: 12, showSizeChanger: false } : false}
            dataSource={fields}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bh.noDays')} /> }}
            columns={[
              {
                title: t('bh.date'),
                width: 180,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'date']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 0 }}>
                    <DatePicker format="YYYY-MM-DD" style={{ width: 150 }} />
                  </Form.Item>
                ),
              },
              {
                title: t('bh.dayName'),
                render: (_, f) => (
                  <Form.Item name={[f.name, 'name']} style={{ marginBottom: 0 }}>
                    <Input maxLength={60} placeholder={name === 'holidays' ? t('bh.holidayPh') : t('bh.workdayPh')} />
                  </Form.Item>
                ),
              },
              ...(name === 'workdays'
                ? [
                    {
                      title: t('bh.hours'),
                      width: 150,
                      render: (_: unknown, f: { name: number }) => (
                        <Form.Item noStyle shouldUpdate>
                          {(form: FormInstance) => {
                            const shifts = form.getFieldValue([name, f.name, 'shifts']) as Shift[] | undefined;
                            return (
                              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                {shifts?.length ? shifts.map((s) => `${s.start}–${s.end}`).join(', ') : t('bh.mondayHours')}
                              </Typography.Text>
                            );
                          }}
                        </Form.Item>
                      ),
                    },
                  ]
                : []),
              {
                title: '',
                width: 50,
                render: (_, f) => <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />,
              },
            ]}
          />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ date: null, name: '' })} style={{ marginTop: 8 }} block>
            {name === 'holidays' ? t('bh.addHoliday') : t('bh.addWorkday')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** Uploads an official holiday schedule (CSV date,name,kind) into a calendar. */
function ImportScheduleModal({ cal, onClose, onDone }: { cal: BusinessCalendar | null; onClose: () => void; onDone: (c: BusinessCalendar) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    if (!cal) return Upload.LIST_IGNORE;
    setBusy(true);
    setError('');
    void file
      .text()
      .then((text) => api.postText<BusinessCalendar>(`/calendars/${encodeURIComponent(cal.id)}/schedule`, text, 'text/csv'))
      .then((c) => {
        message.success(t('bh.imported', { h: c.holidays?.length ?? 0, w: c.workdays?.length ?? 0 }));
        onDone(c);
      })
      .catch((err: unknown) => setError(errorText(err, t)))
      .finally(() => setBusy(false));
    return Upload.LIST_IGNORE;
  };

  return (
    <Modal title={t('bh.importTitle')} open={!!cal} onCancel={onClose} footer={null} width={600} destroyOnHidden>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('bh.importHelp')}
      </Typography.Paragraph>
      <CodeBlock code={t('bh.importExample')} testId="bh-import-example" />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
        {t('bh.importKinds')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Upload.Dragger accept=".csv,text/csv" beforeUpload={beforeUpload} showUploadList={false} disabled={busy} data-testid="bh-import-upload">
        <p className="ant-upload-drag-icon">
          <ImportOutlined />
        </p>
        <p className="ant-upload-text">{busy ? t('bh.importing') : t('bh.importDrop')}</p>
      </Upload.Dragger>
    </Modal>
  );
}

function zoneOptions(): { value: string; label: string }[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [DEFAULT_ZONE, 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'UTC'];
  const list = zones.includes(DEFAULT_ZONE) ? zones : [DEFAULT_ZONE, ...zones];
  return list.map((z) => ({ value: z, label: z }));
}

/** A short reading of a calendar's week: "Mon, Tue 09:00–18:00" style lines, one per distinct set of hours. */
function weekSummary(t: (k: string) => string, c: BusinessCalendar): string {
  const groups: { days: string[]; hours: string }[] = [];
  for (const day of WEEKDAYS) {
    const shifts = c.weekly?.[day] ?? [];
    if (!shifts.length) continue;
    const hours = shifts.map((s) => `${s.start}–${s.end}`).join(', ');
    const g = groups.find((x) => x.hours === hours);
    if (g) g.days.push(t(`rules.weekdayShort.${day}`));
    else groups.push({ days: [t(`rules.weekdayShort.${day}`)], hours });
  }
  return groups.map((g) => `${g.days.length === 7 ? t('bh.everyDay') : g.days.join(t('common.listSep'))} ${g.hours}`).join(t('bh.groupSep'));
}

/** Business-hours calendars: weekly shifts, holidays and make-up working days behind SLA timers. */
export default function BusinessHoursPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items, loading, reload } = useApiList<BusinessCalendar>('/calendars', showError);
  const [editing, setEditing] = useState<BusinessCalendar | 'new' | null>(null);
  const [importing, setImporting] = useState<BusinessCalendar | null>(null);
  const [form] = Form.useForm<CalendarForm>();
  const { saving, submit } = useFormSave(form);
  const del = useRemove();
  const zones = useMemo(zoneOptions, []);

  const open = (c: BusinessCalendar | 'new') => {
    setEditing(c);
    form.resetFields();
    form.setFieldsValue(toForm(c === 'new' ? null : c));
  };

  const save = () =>
    submit(async () => {
      const body = fromForm(form.getFieldsValue(true) as CalendarForm);
      const c =
        editing === 'new'
          ? await api.post<BusinessCalendar>('/calendars', body)
          : await api.put<BusinessCalendar>(`/calendars/${encodeURIComponent((editing as BusinessCalendar).id)}`, body);
      message.success(t('common.saved'));
      setEditing(c);
      void reload();
    });

  const remove = (c: BusinessCalendar) => del(`/calendars/${encodeURIComponent(c.id)}`, t('bh.deleted'), reload);

  const columns: TableColumnsType<BusinessCalendar> = [
    {
      title: t('bh.name'),
      dataIndex: 'name',
      width: 240,
      render: (v: string, c) => (
        <Space size={6}>
          <Typography.Text strong>{v}</Typography.Text>
          {c.is_default && (
            <Tag color="blue" data-testid="bh-default-tag">
              {t('bh.default')}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('bh.timeZone'), dataIndex: 'time_zone', width: 150, render: (v: string) => <span className="kf-mono">{v || DEFAULT_ZONE}</span> },
    { title: t('bh.week'), key: 'week', render: (_, c) => weekSummary(t, c) || <Typography.Text type="secondary">—</Typography.Text> },
    {
      title: t('bh.special'),
      key: 'special',
      width: 170,
      render: (_, c) => t('bh.specialCount', { h: c.holidays?.length ?? 0, w: c.workdays?.length ?? 0 }),
    },
    { title: t('bh.updated'), dataIndex: 'updated_at', width: 170, render: (v: string) => fmtTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 230,
      render: (_, c) => (
        <RowActions onEdit={() => open(c)} editTestId="bh-edit" confirm={t('bh.deleteConfirm', { name: c.name })} onDelete={() => remove(c)}>
          <Button type="link" size="small" onClick={() => setImporting(c)}>
            {t('bh.import')}
          </Button>
        </RowActions>
      ),
    },
  ];

  const current = editing && editing !== 'new' ? editing : null;

  return (
    <>
      <ListHeader title={t('bh.title')} sub={t('bh.sub')} onRefresh={reload} create={{ label: t('bh.create'), testId: 'bh-create', onClick: () => open('new') }} />
      <ListTable<BusinessCalendar> testId="bh-table" columns={columns} items={items} loading={loading} empty={t('bh.empty')} />

      <EditDrawer
        open={!!editing}
        isNew={editing === 'new'}
        createTitle={t('bh.create')}
        editTitle={t('bh.editTitle')}
        onClose={() => setEditing(null)}
        onSave={() => void save()}
        saving={saving}
        saveTestId="bh-save"
        size={760}
        extra={
          current && (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(current)} data-testid="bh-import">
              {t('bh.import')}
            </Button>
          )
        }
      >
        <Form<CalendarForm> form={form} layout="vertical">
          <Space align="start" size={12} wrap>
            <Form.Item name="name" label={t('bh.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={60} style={{ width: 240 }} data-testid="bh-form-name" />
            </Form.Item>
            <Form.Item name="time_zone" label={t('bh.timeZone')}>
              <Select showSearch options={zones} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="is_default" label={t('bh.default')} valuePropName="checked" tooltip={t('bh.defaultHelp')}>
              <Switch />
            </Form.Item>
          </Space>
          {editing === 'new' && <Alert type="info" showIcon title={t('bh.importAfterCreate')} style={{ marginBottom: 12 }} />}
          <Tabs
            items={[
              {
                key: 'week',
                label: t('bh.weekTab'),
                forceRender: true,
                children: (
                  <>
                    <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                      {t('bh.weekHelp')}
                    </Typography.Paragraph>
                    {WEEKDAYS.map((day) => (
                      <WeekdayShifts key={day} day={day} />
                    ))}
                  </>
                ),
              },
              {
                key: 'holidays',
                label: t('bh.holidaysTab'),
                forceRender: true,
                children: <DaysTable name="holidays" hint={t('bh.holidaysHelp')} testId="bh-holidays" />,
              },
              {
                key: 'workdays',
                label: t('bh.workdaysTab'),
                forceRender: true,
                children: <DaysTable name="workdays" hint={t('bh.workdaysHelp')} testId="bh-workdays" />,
              },
            ]}
          />
        </Form>
      </EditDrawer>

      <ImportScheduleModal
        cal={importing}
        onClose={() => setImporting(null)}
        onDone={(c) => {
          setImporting(null);
          void reload();
          if (editing && editing !== 'new' && editing.id === c.id) open(c);
        }}
      />
    </>
  );
}
