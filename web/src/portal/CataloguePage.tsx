import { Result } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';

export default function CataloguePage() {
  const { t } = useI18n();
  return (
    <Result
      icon={<AuditOutlined />}
      title={t('catalogue.coming')}
      subTitle={t('catalogue.comingSub')}
      data-testid="catalogue-coming"
    />
  );
}
