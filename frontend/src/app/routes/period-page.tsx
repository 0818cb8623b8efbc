import { PeriodAttendance } from '@/features/attendance/components/attendance-month';
import { PeriodPageView } from '@/features/periods/routes/period-page';

/** A period's page with its month of attendance (the app composes the two features). */
export function PeriodPage() {
  return (
    <PeriodPageView
      attendance={({ period }) => (
        <PeriodAttendance
          periodId={period.id}
          startsOn={period.starts_on}
          endsOn={period.ends_on ?? period.planned_end_on ?? null}
        />
      )}
    />
  );
}
