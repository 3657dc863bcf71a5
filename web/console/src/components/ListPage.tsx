import type { ReactNode } from 'react';
import { Button, Card, Drawer, Empty, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import CreateButton from './CreateButton';
import PageHeader from './PageHeader';
import RefreshButton from './RefreshButton';

// The settings "list + edit form" pages (business hours, rules, SLA policies, webhooks, inboxes) share one
// layout: a header with refresh and create, a card holding the table, and a drawer or modal titled by
// create/edit mode, with Edit/Delete links on each row. These pieces keep that layout, its test ids and its
// wording the same on every page; teams, my tasks and canned replies use some of them too.

/** The "+ create" button of a list page: its label, test id and action. */
export interface CreateAction {
  label: ReactNode;
  testId: string;
  onClick: () => void;
}

/** The page header of a list page: `extra` first, then Refresh (when `onRefresh` is given), then the create button. */
export function ListHeader({
  title,
  sub,
  onRefresh,
  create,
  extra,
}: {
  title: ReactNode;
  sub?: ReactNode;
  onRefresh?: () => unknown;
  create: CreateAction;
  extra?: ReactNode;
}) {
  return (
    <PageHeader
      title={title}
      sub={sub}
      extra={
        <>
          {extra}
          {onRefresh && <RefreshButton onRefresh={onRefresh} />}
          <CreateButton testId={create.testId} onClick={create.onClick}>
            {create.label}
          </CreateButton>
        </>
      }
    />
  );
}

/** An intro line with the Refresh button at its right, for pages whose header keeps only the create button. */
export function IntroBar({ text, onRefresh }: { text: ReactNode; onRefresh: () => unknown }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12, gap: 16 }}>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {text}
      </Typography.Text>
      <RefreshButton onRefresh={onRefresh} />
    </div>
  );
}

/**
 * The card with the whole list (no pagination, rows keyed by id). `intro` sits above the table; with
 * `emptyCreate` the empty state also offers the create button, since an empty list is where one starts.
 * Without `empty` the table keeps antd's own empty state.
 */
export function ListTable<T extends { id: string }>({
  testId,
  columns,
  items,
  loading,
  scrollX = 1000,
  empty,
  emptyCreate,
  intro,
}: {
  testId: string;
  columns: TableColumnsType<T>;
  items: T[];
  loading: boolean;
  scrollX?: number;
  empty?: ReactNode;
  emptyCreate?: { label: ReactNode; onClick: () => void };
  intro?: ReactNode;
}) {
  return (
    <Card variant="borderless">
      {intro}
      <Table<T>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: scrollX }}
        data-testid={testId}
        locale={
          empty === undefined
            ? undefined
            : {
                emptyText: emptyCreate ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} style={{ padding: '24px 0' }}>
                    <Button type="primary" onClick={emptyCreate.onClick}>
                      {emptyCreate.label}
                    </Button>
                  </Empty>
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />
                ),
              }
        }
      />
    </Card>
  );
}

/**
 * A row's Edit link and its Delete link, which asks `confirm` (and `description`) first. `before` sits
 * ahead of Edit and `children` between Edit and Delete, for a page's own links.
 */
export function RowActions({
  onEdit,
  editTestId,
  confirm,
  description,
  onDelete,
  deleteTestId,
  before,
  children,
}: {
  onEdit: () => void;
  editTestId: string;
  confirm: ReactNode;
  description?: ReactNode;
  onDelete: () => unknown;
  deleteTestId?: string;
  before?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      {before}
      <Button type="link" size="small" onClick={onEdit} data-testid={editTestId}>
        {t('common.edit')}
      </Button>
      {children}
      <Popconfirm title={confirm} description={description} onConfirm={onDelete} okButtonProps={{ danger: true }}>
        <Button type="link" size="small" danger data-testid={deleteTestId}>
          {t('common.delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** What the edit drawer and modal have in common: the mode decides the title and the save button's label. */
interface EditProps {
  open: boolean;
  isNew: boolean;
  createTitle: ReactNode;
  editTitle: ReactNode;
  onClose: () => void;
  onSave: () => void;
  saving: boolean;
  saveTestId: string;
  size: number;
  children: ReactNode;
}

/**
 * The create/edit drawer with Cancel and Create/Save in its footer. It renders while closed (forceRender)
 * so the page's form instance is always connected when the page fills it in before opening.
 */
export function EditDrawer({ open, isNew, createTitle, editTitle, onClose, onSave, saving, saveTestId, size, extra, children }: EditProps & { extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Drawer
      title={isNew ? createTitle : editTitle}
      open={open}
      onClose={onClose}
      size={size}
      forceRender
      extra={extra}
      footer={
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={saving} onClick={onSave} data-testid={saveTestId}>
              {isNew ? t('common.create') : t('common.save')}
            </Button>
          </Space>
        </div>
      }
    >
      {children}
    </Drawer>
  );
}

/** The create/edit modal, for the shorter forms; forceRender for the same reason as EditDrawer. */
export function EditModal({ open, isNew, createTitle, editTitle, onClose, onSave, saving, saveTestId, size, children }: EditProps) {
  const { t } = useTranslation();
  return (
    <Modal
      title={isNew ? createTitle : editTitle}
      open={open}
      onCancel={onClose}
      onOk={onSave}
      okText={isNew ? t('common.create') : t('common.save')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': saveTestId } as Record<string, string>}
      width={size}
      forceRender
    >
      {children}
    </Modal>
  );
}
