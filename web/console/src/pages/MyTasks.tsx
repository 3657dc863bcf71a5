import { Button, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowRightOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Task } from '../api/types';
import { ListTable } from '../components/ListPage';
import PageHeader from '../components/PageHeader';
import { useApiError } from '../lib/errors';
import { fmtTime } from '../lib/format';
import { departmentLabel, TaskActions, TaskDue, TaskStatusTag } from '../lib/tasks';
import { useApiList } from '../lib/useApiList';

/** The signed-in user's open tasks on customers' conversations (the server sorts them due first), with links to the conversations. */
export default function MyTasksPage() {
  const { t } = useTranslation();
  const showError = useApiError();
  const list = useApiList<Task>('/me/tasks', showError);
  const replace = (next: Task) => list.setItems((prev) => prev.map((x) => (x.id === next.id ? next : x)));

  const columns: TableColumnsType<Task> = [
    {
      title: t('tasks.title'),
      key: 'title',
      render: (_, task) => (
        <div>
          <Tag bordered={false} color="purple">
            {departmentLabel(t, task.department)}
          </Tag>
          <Typography.Text strong>{task.title}</Typography.Text>
          {task.note && (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '4px 0 0', fontSize: 12 }}>
              {task.note}
            </Typography.Paragraph>
          )}
        </div>
      ),
    },
    { title: t('common.status'), dataIndex: 'status', width: 100, render: (s: string) => <TaskStatusTag status={s} /> },
    {
      title: t('tasks.due'),
      dataIndex: 'due_at',
      width: 200,
      render: (_, task) =>
        task.due_at ? (
          <div>
            <TaskDue task={task} />
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', marginTop: 2 }}>{fmtTime(task.due_at)}</div>
          </div>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('tasks.createdBy'), dataIndex: 'created_by', width: 120, render: (v: string, task) => <Tooltip title={fmtTime(task.created_at)}>{v || '—'}</Tooltip> },
    {
      title: t('tasks.conversation'),
      key: 'conversation',
      width: 120,
      render: (_, task) => (
        <Link to={`/inbox/${encodeURIComponent(task.conversation_id)}`} data-testid="my-task-conversation">
          {t('notices.openConversation')} <ArrowRightOutlined />
        </Link>
      ),
    },
    { title: t('common.actions'), key: 'actions', width: 200, render: (_, task) => <TaskActions task={task} onChange={replace} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('tasks.mine')}
        sub={t('tasks.mineSub')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.reload()} loading={list.loading}>
            {t('common.refresh')}
          </Button>
        }
      />
      <ListTable<Task> testId="my-tasks-table" columns={columns} items={list.items} loading={list.loading} scrollX={900} empty={t('tasks.mineEmpty')} />
    </>
  );
}

