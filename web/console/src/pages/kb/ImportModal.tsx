import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Modal, Progress, Spin, Table, Typography, Upload } from 'antd';
import type { TableColumnsType, UploadProps } from 'antd';
import { CheckCircleFilled, DownloadOutlined, ExclamationCircleFilled, FileTextOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { KBImportProblem, KBImportResult } from '../../api/types';
import CodeBlock from '../../components/CodeBlock';
import { saveBlob } from '../../lib/download';
import { errorText } from '../../lib/errors';
import type { KBKind } from './common';

const ACCEPT: Record<KBKind, string[]> = { faqs: ['.csv'], articles: ['.md', '.zip'] };
const MAX_BYTES = 20 << 20; // the server's limit

const FRONT_MATTER = `---
title: {{title}}
category: {{category}}
intent: return_refund
status: published
---

{{body}}`;

type Phase = { step: 'pick'; error?: string } | { step: 'upload'; name: string; size: number; percent: number } | { step: 'done'; name: string; result: KBImportResult };

function fmtSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Uploads a CSV of FAQ entries, or Markdown articles (.md or .zip), with progress; then shows what was created, updated and skipped. */
export default function ImportModal({ kind, open, onClose, onImported }: { kind: KBKind; open: boolean; onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [phase, setPhase] = useState<Phase>({ step: 'pick' });
  const abort = useRef<AbortController | null>(null);
  const busy = phase.step === 'upload';

  useEffect(() => {
    if (open) setPhase((p) => (p.step === 'upload' ? p : { step: 'pick' }));
  }, [open]);

  const accept = ACCEPT[kind];

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    const name = file.name.toLowerCase();
    if (!accept.some((ext) => name.endsWith(ext))) {
      message.error(t('kb.io.wrongType', { types: accept.join(' / ') }));
      return Upload.LIST_IGNORE;
    }
    if (file.size > MAX_BYTES) {
      message.error(t('kb.io.tooLarge', { size: fmtSize(MAX_BYTES) }));
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const customRequest: UploadProps['customRequest'] = ({ file, onProgress, onSuccess, onError }) => {
    const f = file as File;
    const ctl = new AbortController();
    abort.current = ctl;
    const form = new FormData();
    form.append('file', f, f.name);
    setPhase({ step: 'upload', name: f.name, size: f.size, percent: 0 });
    api
      .upload<KBImportResult>('/kb/import', form, {
        signal: ctl.signal,
        onProgress: (percent) => {
          onProgress?.({ percent });
          setPhase((p) => (p.step === 'upload' ? { ...p, percent } : p));
        },
      })
      .then((result) => {
        onSuccess?.(result);
        setPhase({ step: 'done', name: f.name, result });
        if (result.created || result.updated) onImported();
      })
      .catch((err: unknown) => {
        onError?.(err as Error);
        const cancelled = err instanceof Error && err.name === 'AbortError';
        setPhase({ step: 'pick', error: cancelled ? undefined : errorText(err, t) });
      })
      .finally(() => {
        abort.current = null;
      });
  };

  const footer =
    phase.step === 'done'
      ? [
          <Button key="again" onClick={() => setPhase({ step: 'pick' })} data-testid="kb-import-again">
            {t('kb.io.again')}
          </Button>,
          <Button key="done" type="primary" onClick={onClose} data-testid="kb-import-done">
            {t('common.done')}
          </Button>,
        ]
      : phase.step === 'upload'
        ? [
            <Button key="cancel" onClick={() => abort.current?.abort()} disabled={phase.percent >= 100} data-testid="kb-import-cancel">
              {t('kb.io.cancelUpload')}
            </Button>,
          ]
        : [
            <Button key="close" onClick={onClose}>
              {t('common.cancel')}
            </Button>,
          ];

  return (
    <Modal
      title={t(`kb.io.importTitle.${kind}`)}
      open={open}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      mask={{ closable: !busy }}
      keyboard={!busy}
      footer={footer}
      width={phase.step === 'done' ? 760 : 640}
      data-testid="kb-import-modal"
    >
      {phase.step === 'pick' && (
        <>
          {phase.error && (
            <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('kb.io.failed')} description={phase.error} data-testid="kb-import-error" />
          )}
          <div data-testid="kb-import-upload">
            <Upload.Dragger
              accept={accept.join(',')}
              multiple={false}
              maxCount={1}
              showUploadList={false}
              beforeUpload={beforeUpload}
              customRequest={customRequest}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('kb.io.drop')}</p>
              <p className="ant-upload-hint">{t(`kb.io.dropHint.${kind}`, { size: fmtSize(MAX_BYTES) })}</p>
            </Upload.Dragger>
          </div>
          <div className="kf-kb-format">
            <Typography.Text strong>{t('kb.io.formatTitle')}</Typography.Text>
            {kind === 'faqs' ? (
              <>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px', fontSize: 13 }}>
                  {t('kb.io.faqFormat')}
                </Typography.Paragraph>
                <CodeBlock code="locale,category,intent,question,alternatives,answer,status" wrap />
              </>
            ) : (
              <>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px', fontSize: 13 }}>
                  {t('kb.io.articleFormat')}
                </Typography.Paragraph>
                <CodeBlock
                  code={FRONT_MATTER.replace('{{title}}', t('kb.io.sampleTitle'))
                    .replace('{{category}}', t('kb.io.sampleCategory'))
                    .replace('{{body}}', t('kb.io.sampleBody'))}
                  maxHeight={220}
                />
              </>
            )}
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
              {t(`kb.io.matchRule.${kind}`)}
            </Typography.Paragraph>
          </div>
        </>
      )}

      {phase.step === 'upload' && (
        <div className="kf-kb-upload" data-testid="kb-import-progress">
          <div className="kf-kb-upload-file">
            <FileTextOutlined className="kf-kb-upload-icon" />
            <div style={{ flex: 1, minWidth: 0 }}>
              <div className="kf-kb-upload-name">{phase.name}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtSize(phase.size)}
              </Typography.Text>
            </div>
          </div>
          <Progress percent={Math.round(phase.percent)} status="active" />
          <div className="kf-kb-upload-state">
            {phase.percent < 100 ? (
              <Typography.Text type="secondary">{t('kb.io.uploading', { percent: Math.round(phase.percent) })}</Typography.Text>
            ) : (
              <Typography.Text type="secondary">
                <Spin size="small" style={{ marginInlineEnd: 8 }} />
                {t('kb.io.processing')}
              </Typography.Text>
            )}
          </div>
        </div>
      )}

      {phase.step === 'done' && <ImportResultView name={phase.name} result={phase.result} />}
    </Modal>
  );
}

/** "line 7" from the server reads as the locale's "line 7". */
function itemLabel(item: string, t: (k: string, o?: Record<string, unknown>) => string): string {
  const m = /^line (\d+)$/.exec(item);
  return m ? t('kb.io.line', { n: m[1] }) : item;
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Saves what an import skipped as CSV (item, field, message), for fixing the file. */
function downloadProblems(name: string, problems: KBImportProblem[], t: (k: string, o?: Record<string, unknown>) => string) {
  const rows = [[t('kb.io.item'), t('kb.io.field'), t('kb.io.message')], ...problems.map((p) => [itemLabel(p.item, t), p.field ?? '', p.message])];
  const csv = '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${name.replace(/\.[^.]+$/, '')}-problems.csv`);
}

function ImportResultView({ name, result }: { name: string; result: KBImportResult }) {
  const { t } = useTranslation();
  const problems = (result.problems ?? []).map((p, i) => ({ ...p, key: i }));
  const ok = problems.length === 0;
  const columns: TableColumnsType<KBImportProblem & { key: number }> = [
    { title: t('kb.io.item'), dataIndex: 'item', width: 180, render: (v: string) => itemLabel(v, t) },
    {
      title: t('kb.io.field'),
      dataIndex: 'field',
      width: 110,
      render: (v?: string) => (v ? <span className="kf-mono">{v}</span> : <Typography.Text type="secondary">—</Typography.Text>),
    },
    { title: t('kb.io.message'), dataIndex: 'message' },
  ];
  return (
    <div data-testid="kb-import-result">
      <div className={`kf-kb-result ${ok ? 'ok' : 'warn'}`}>
        {ok ? <CheckCircleFilled className="kf-kb-result-icon" /> : <ExclamationCircleFilled className="kf-kb-result-icon" />}
        <div>
          <div className="kf-kb-result-title">{ok ? t('kb.io.doneOk') : t('kb.io.doneProblems', { n: problems.length })}</div>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {name}
          </Typography.Text>
        </div>
      </div>
      <div className="kf-kb-stats">
        <div className="kf-kb-stat">
          <div className="kf-kb-stat-num" data-testid="kb-import-created">
            {result.created}
          </div>
          <div className="kf-kb-stat-label">{t('kb.io.created')}</div>
        </div>
        <div className="kf-kb-stat">
          <div className="kf-kb-stat-num" data-testid="kb-import-updated">
            {result.updated}
          </div>
          <div className="kf-kb-stat-label">{t('kb.io.updated')}</div>
        </div>
        <div className={`kf-kb-stat${ok ? '' : ' bad'}`}>
          <div className="kf-kb-stat-num">{problems.length}</div>
          <div className="kf-kb-stat-label">{t('kb.io.skipped')}</div>
        </div>
      </div>
      {!ok && (
        <>
          <div className="kf-kb-problems-head">
            <Typography.Text strong>{t('kb.io.problems')}</Typography.Text>
            <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => downloadProblems(name, problems, t)} data-testid="kb-import-problems-download">
              {t('kb.io.downloadProblems')}
            </Button>
          </div>
          <Table<KBImportProblem & { key: number }>
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={problems}
            pagination={problems.length > 10 ? { pageSize: 10, showSizeChanger: false, size: 'small' } : false}
            data-testid="kb-import-problems"
          />
        </>
      )}
    </div>
  );
}
