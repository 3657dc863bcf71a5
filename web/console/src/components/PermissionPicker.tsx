import { Checkbox, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupPermissions } from '../lib/permissions';
import { permDesc, permLabel } from '../lib/labels';

interface Props {
  /** Every permission the server knows (GET /permissions). */
  all: string[];
  value?: string[];
  onChange?: (v: string[]) => void;
  disabled?: boolean;
}

/** Permissions as checkboxes, grouped (conversations, contacts, admin, compliance). */
export default function PermissionPicker({ all, value = [], onChange, disabled }: Props) {
  const { t } = useTranslation();
  const groups = groupPermissions(all);
  const set = new Set(value);

  const toggle = (p: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(p);
    else next.delete(p);
    onChange?.(all.length ? all.filter((x) => next.has(x)) : [...next]);
  };

  const toggleGroup = (perms: string[], on: boolean) => {
    const next = new Set(set);
    for (const p of perms) {
      if (on) next.add(p);
      else next.delete(p);
    }
    onChange?.(all.length ? all.filter((x) => next.has(x)) : [...next]);
  };

  return (
    <div data-testid="permission-picker" className={disabled ? 'kf-perm-readonly' : undefined}>
      {groups.map((g) => {
        const n = g.perms.filter((p) => set.has(p)).length;
        return (
          <div className="kf-perm-group" key={g.key}>
            <div className="kf-perm-group-title">
              <Checkbox
                checked={n === g.perms.length}
                indeterminate={n > 0 && n < g.perms.length}
                disabled={disabled}
                onChange={(e) => toggleGroup(g.perms, e.target.checked)}
              >
                {t(`permGroups.${g.key}`)}
              </Checkbox>
              <Tag style={{ marginInlineStart: 0 }}>
                {n}/{g.perms.length}
              </Tag>
            </div>
            <div className="kf-perm-grid">
              {g.perms.map((p) => (
                <div key={p} className={`kf-perm-item${set.has(p) ? ' checked' : ''}`}>
                  <Checkbox checked={set.has(p)} disabled={disabled} onChange={(e) => toggle(p, e.target.checked)}>
                    <span style={{ fontWeight: 500 }}>{permLabel(t, p)}</span>
                  </Checkbox>
                  <div className="kf-perm-desc">
                    {permDesc(t, p)} <span className="kf-mono" style={{ color: 'rgba(0,0,0,0.3)' }}>{p}</span>
                  </div>
                </div>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}
