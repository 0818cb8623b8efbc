import type { components } from '@/api/schema';

export type DaySheet = components['schemas']['DaySheet'];
export type SheetRow = components['schemas']['SheetRow'];
export type AttendanceRecord = components['schemas']['AttendanceRecord'];
export type AbsenceReason = components['schemas']['AbsenceReason'];
export type MarkRequest = components['schemas']['MarkRequest'];
export type MarkStatus = components['schemas']['MarkStatus'];
export type DayRequest = components['schemas']['DayRequest'];
export type GroupSummary = components['schemas']['GroupSummary'];
export type Group = components['schemas']['GroupResponse'];
export type GroupMember = components['schemas']['GroupMember'];
export type UpdateGroupRequest = components['schemas']['UpdateGroupRequest'];
export type Calendar = components['schemas']['CalendarResponse'];
export type CalendarDay = components['schemas']['CalendarDay'];
export type Regularity = components['schemas']['Regularity'];
export type PeriodRegularity = components['schemas']['PeriodRegularity'];
export type AllowanceReport = components['schemas']['AllowanceReport'];
export type HolidayInfo = components['schemas']['HolidayInfo'];

export const absenceReasons: AbsenceReason[] = ['sick', 'authorised', 'unauthorised', 'holiday', 'other'];
