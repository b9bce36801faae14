/** When an alarm of this kind is due for a target row. */
export const alarmDue = (
  kind: 'warning' | 'breach',
  row: { due_at: Date; warning_at: Date | null },
) => (kind === 'warning' ? row.warning_at : row.due_at);
