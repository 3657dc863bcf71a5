// Complaint classification of a conversation (kefu.ComplaintCategories,
// kefu.ComplaintSeverities). Labels live under "complaint.*".
import type { TFunction } from 'i18next';

export const COMPLAINT_CATEGORIES = ['product_quality', 'logistics', 'after_sales_service', 'payment', 'account', 'other'];
export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'];

export const SEVERITY_COLOR: Record<string, string> = {
  low: 'default',
  medium: 'gold',
  high: 'orange',
  critical: 'red',
};

export const complaintCategoryLabel = (t: TFunction, c: string) => (COMPLAINT_CATEGORIES.includes(c) ? t(`complaint.category.${c}`) : c);
export const complaintSeverityLabel = (t: TFunction, s: string) => (COMPLAINT_SEVERITIES.includes(s) ? t(`complaint.severity.${s}`) : s);
