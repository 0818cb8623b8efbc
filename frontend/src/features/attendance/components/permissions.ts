import type { Permission } from '@/lib/me';

/** Who may mark attendance: staff who edit the unit's clients, or the attendance permission. */
export const attendanceWrite: Permission[] = ['clients_write_own_units', 'clients_write_all', 'attendance_write'];
/** Who may set up attendance groups. */
export const groupsWrite: Permission[] = ['clients_write_own_units', 'clients_write_all'];
export const clientsRead: Permission[] = ['clients_read_own_units', 'clients_read_all'];
