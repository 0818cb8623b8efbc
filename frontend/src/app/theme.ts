import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Shades chosen for WCAG AA contrast on white: Mantine's default blue-6 links and gray-6
// "dimmed" text fall short of 4.5:1.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  autoContrast: true,
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
  },
  dark: {},
});
