import { Field, ProgressBar } from '@fluentui/react-components';
import { formatBytes } from '../format';

/** Storage used against the mailbox's receive quota (prohibit send and receive). */
export function StorageBar({ usedBytes, quota }: { usedBytes: number; quota: { warnBytes: number; receiveBytes: number } }) {
  const share = quota.receiveBytes > 0 ? Math.min(1, usedBytes / quota.receiveBytes) : 0;
  const percent = share * 100;
  const shownPercent = percent > 0 && percent < 0.1 ? '< 0.1' : percent.toFixed(percent < 10 ? 1 : 0);
  return (
    <Field
      label="Storage used"
      hint={`${formatBytes(usedBytes)} of ${formatBytes(quota.receiveBytes)} (${shownPercent} %)`}
      validationState={usedBytes >= quota.warnBytes ? 'warning' : 'none'}
      {...(usedBytes >= quota.warnBytes ? { validationMessage: 'The mailbox is over its warning quota.' } : {})}
    >
      <ProgressBar value={share} max={1} thickness="large" aria-label="Storage used" color={usedBytes >= quota.warnBytes ? 'warning' : 'brand'} />
    </Field>
  );
}
