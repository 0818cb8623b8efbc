import { useParams } from '@tanstack/react-router';

import { PeriodAttendance } from '@/features/attendance/components/attendance-month';
import { PeriodPageView } from '@/features/periods/routes/period-page';

/** A period's page with its month of attendance (the app composes the two features). */
export function PeriodPage() {
  const { periodId } = useParams({ strict: false });
  return <PeriodPageView attendance={<PeriodAttendance periodId={periodId ?? ''} />} />;
}
