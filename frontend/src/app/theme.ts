import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
import { suomifiDesignTokens } from 'suomifi-design-tokens';

// Polku is themed with the Suomi.fi design tokens so it looks at home among Finnish public
// services. Mantine wants ten shades per colour (lightest first); the tokens give a few
// named ones, which sit at the shades Mantine uses for the same purposes (6 = filled,
// 0–1 = light backgrounds). Every filled shade meets WCAG AA (4.5:1) against white text.
const c = suomifiDesignTokens.colors;

const highlight: MantineColorsTuple = [
  c.highlightLight4,
  c.highlightLight3,
  c.highlightLight2,
  'hsl(212, 63%, 75%)',
  'hsl(212, 63%, 62%)',
  c.highlightLight1,
  c.highlightBase,
  c.highlightDark1,
  c.brandBase,
  'hsl(214, 100%, 18%)',
];

const depth: MantineColorsTuple = [
  c.depthLight3,
  c.depthLight2,
  c.depthLight1,
  c.depthBase,
  c.depthDark3,
  c.depthDark2,
  c.depthDark1,
  'hsl(202, 7%, 32%)',
  'hsl(202, 7%, 24%)',
  c.blackBase,
];

const alert: MantineColorsTuple = [
  c.alertLight1,
  'hsl(3, 59%, 90%)',
  'hsl(3, 59%, 80%)',
  'hsl(3, 59%, 70%)',
  'hsl(3, 59%, 60%)',
  'hsl(3, 59%, 50%)',
  c.alertBase,
  'hsl(3, 59%, 37%)',
  'hsl(3, 59%, 31%)',
  'hsl(3, 59%, 25%)',
];

const success: MantineColorsTuple = [
  'hsl(166, 54%, 95%)',
  'hsl(166, 54%, 90%)',
  c.successSecondary,
  'hsl(166, 70%, 60%)',
  'hsl(166, 80%, 45%)',
  c.successBase,
  c.successDark1,
  'hsl(165, 90%, 23%)',
  'hsl(165, 90%, 19%)',
  'hsl(165, 90%, 15%)',
];

// Warning yellow is light: text on it must be dark (autoContrast picks black).
const warning: MantineColorsTuple = [
  c.warningLight1,
  'hsl(42, 100%, 88%)',
  'hsl(42, 100%, 80%)',
  'hsl(42, 95%, 70%)',
  'hsl(42, 93%, 60%)',
  'hsl(42, 93%, 55%)',
  c.warningBase,
  'hsl(42, 93%, 42%)',
  'hsl(42, 93%, 32%)',
  'hsl(42, 93%, 24%)',
];

const fontFamily = "'Source Sans 3', 'Helvetica Neue', Arial, sans-serif";

export const theme = createTheme({
  colors: { highlight, depth, alert, success, warning },
  primaryColor: 'highlight',
  primaryShade: 6,
  autoContrast: true,
  black: c.blackBase,
  fontFamily,
  headings: {
    fontFamily,
    fontWeight: '600',
    sizes: {
      h1: { fontSize: '2rem', lineHeight: '1.2', fontWeight: '300' },
      h2: { fontSize: '1.5rem', lineHeight: '1.25' },
      h3: { fontSize: '1.25rem', lineHeight: '1.3' },
      h4: { fontSize: '1.125rem', lineHeight: '1.35' },
    },
  },
  defaultRadius: 'xs',
  radius: { xs: '2px', sm: '2px', md: '4px', lg: '4px', xl: '8px' },
  spacing: { xs: '10px', sm: '15px', md: '20px', lg: '25px', xl: '30px' },
  focusRing: 'auto',
  // No animations for those who ask the system for less motion (WCAG 2.3.3).
  respectReducedMotion: true,
  components: {
    Anchor: { defaultProps: { c: 'highlight.7' } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {
    // The Suomi.fi focus ring: a 2px accent-secondary outline.
    '--polku-focus-color': c.accentSecondary,
  },
  light: {
    '--mantine-color-dimmed': 'hsl(0, 0%, 35%)',
    '--mantine-color-body': c.whiteBase,
    '--mantine-color-text': c.blackBase,
    '--mantine-color-anchor': c.highlightDark1,
    // Suomi.fi's alert red, which meets 4.5:1 on white (Mantine's red-6 does not).
    '--mantine-color-error': c.alertBase,
  },
  dark: {},
});
