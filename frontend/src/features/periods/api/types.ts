import type { components } from '@/api/schema';

export type Period = components['schemas']['PeriodResponse'];
export type PeriodPage = components['schemas']['PeriodPage'];
export type CreatePeriodRequest = components['schemas']['CreatePeriodRequest'];
export type Goal = components['schemas']['GoalResponse'];
export type GoalStatus = components['schemas']['GoalStatus'];
export type DiaryEntry = components['schemas']['DiaryEntryResponse'];
export type Report = components['schemas']['ReportResponse'];
export type ReportSections = components['schemas']['ReportSections'];
export type RuleWarning = components['schemas']['RuleWarning'];
